using System.Globalization;
using ConR.Api.Options;
using Microsoft.Extensions.Options;

namespace ConR.Api.Models;

/// <summary>
/// Reads the repository layout written by <c>conr-train export</c> (Triton style): REPO/NAME/VERSION/{model.onnx,
/// model.json}, VERSION a positive integer; other folders (a hidden export in progress, "latest") are ignored.
/// </summary>
internal sealed class ModelRepositoryLayout(IOptions<InferenceOptions> options, IHostEnvironment environment)
{
    public const string OnnxFile = "model.onnx";
    public const string CardFile = "model.json";

    /// <summary>Gets the absolute repository path.</summary>
    public string Root { get; } = Resolve(options.Value.ModelRepository, environment.ContentRootPath);

    public static string Resolve(string repository, string contentRoot) =>
        Path.GetFullPath(Path.IsPathRooted(repository) ? repository : Path.Combine(contentRoot, repository));

    /// <summary>Names of the models with at least one version, sorted.</summary>
    public IReadOnlyList<string> ModelNames() =>
        Directory.Exists(Root)
            ? [.. Directory.GetDirectories(Root).Select(Path.GetFileName).OfType<string>().Where(n => IsValidName(n) && Versions(n).Count > 0).Order(StringComparer.Ordinal)]
            : [];

    /// <summary>The versions of <paramref name="name"/> in the repository, ascending; empty when it has none.</summary>
    public IReadOnlyList<int> Versions(string name)
    {
        var folder = Path.Combine(Root, name);
        if (!IsValidName(name) || !Directory.Exists(folder))
        {
            return [];
        }

        return [.. Directory.GetDirectories(folder)
            .Select(d => int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : 0)
            .Where(v => v > 0)
            .Order()];
    }

    public string PackageFolder(string name, int version) =>
        Path.Combine(Root, name, version.ToString(CultureInfo.InvariantCulture));

    /// <summary>A model name is one plain folder name: no separators, no "..", not hidden.</summary>
    public static bool IsValidName(string? name) =>
        !string.IsNullOrWhiteSpace(name)
        && name.IndexOfAny(Path.GetInvalidFileNameChars()) < 0
        && name.IndexOfAny(['/', '\\']) < 0
        && !name.StartsWith('.');
}
