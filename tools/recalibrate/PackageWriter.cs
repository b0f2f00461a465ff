using ConR.Shared.ModelPackage;

namespace ConR.Recalibrate;

/// <summary>
/// Writes a package as <c>conr-train export</c> does: assembled in a hidden temporary folder next to the target and
/// renamed into place, so a failure leaves nothing a server would load. The card is serialised first, which validates it.
/// Like the trainer's packagers, it keeps the run configuration without the training machine's folders
/// (<see cref="PortableRawConfig"/>): a source package written before that rule must not pass its paths on.
/// </summary>
internal static class PackageWriter
{
    /// <summary>Writes <paramref name="target"/> (REPO/NAME/VERSION) and reads it back as the API would.</summary>
    /// <exception cref="ModelCardException">The card is invalid; nothing is written.</exception>
    public static string Publish(string target, ModelCard card, byte[] onnx)
    {
        card = card with { Training = card.Training with { RawConfig = PortableRawConfig.Of(card.Training.RawConfig) } };
        var json = ModelCardSerializer.Serialize(card) + "\n";
        var parent = Path.GetDirectoryName(target)!;
        var temporary = Path.Combine(parent, $".{Path.GetFileName(target)}.tmp-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temporary);
        try
        {
            File.WriteAllBytes(Path.Combine(temporary, SourcePackage.OnnxFile), onnx);
            File.WriteAllText(Path.Combine(temporary, SourcePackage.CardFile), json);
            if (Directory.Exists(target))
            {
                throw new RecalibrationRefusedException($"{target} appeared while writing; versions are never overwritten.");
            }

            Directory.Move(temporary, target);
        }
        finally
        {
            if (Directory.Exists(temporary))
            {
                Directory.Delete(temporary, recursive: true);
            }
        }

        // The same checks as the serving API's loader: the card validates, matches its folder and its graph.
        SourcePackage.Read(target);
        return target;
    }
}
