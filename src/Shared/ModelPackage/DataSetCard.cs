namespace ConR.Shared.ModelPackage;

/// <summary>The data the model was trained and evaluated on, and the terms it may be used under.</summary>
/// <param name="Name">Data set name, e.g. "UTKFace".</param>
/// <param name="SplitFile">File name of the train/val/test split (e.g. "utkface_split.csv"), without directories.</param>
/// <param name="SplitSha256">SHA-256 of the split file (64 hex characters), so results can be tied to the exact split.</param>
/// <param name="Licence">The data set's licence terms in words, e.g. <see cref="UtkFaceLicence"/>.</param>
public sealed record DataSetCard(string Name, string SplitFile, string SplitSha256, string Licence)
{
    /// <summary>The UTKFace terms: models trained on it inherit the non-commercial restriction.</summary>
    public const string UtkFaceLicence =
        "non-commercial research purposes only; image copyright belongs to the original owners";
}
