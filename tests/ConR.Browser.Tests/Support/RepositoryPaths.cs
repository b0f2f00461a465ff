using ConR.Tests.Common;

namespace ConR.Browser.Tests.Support;

/// <summary>Paths in this repository, found from the test's build output by walking up to the solution file.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = SourceTree.Root();

    /// <summary>The bundled default model repository (models/NAME/VERSION; the newest version is served): what a new user serves.</summary>
    public static string BundledModels => Path.Combine(Root, "models");

    /// <summary>The newest version of a bundled model: the one the service serves by default.</summary>
    public static int NewestVersion(string name) =>
        Directory.GetDirectories(Path.Combine(BundledModels, name)).Select(Path.GetFileName).Select(v => int.TryParse(v, out var n) ? n : 0).Max();

    /// <summary>The sample face the API ships (96x96 PNG).</summary>
    public static string SampleFace => Path.Combine(Root, "src", "Api", "Samples", "face.png");

    /// <summary>Where failure screenshots and the README's screenshots are written: artifacts/browser (git-ignored).</summary>
    public static string Artifacts => Directory.CreateDirectory(Path.Combine(Root, "artifacts", "browser")).FullName;
}
