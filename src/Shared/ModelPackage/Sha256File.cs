using System.Security.Cryptography;

namespace ConR.Shared.ModelPackage;

/// <summary>SHA-256 digests of files, as recorded in the model card (ONNX file, split file).</summary>
public static class Sha256File
{
    /// <summary>The SHA-256 of the file's bytes as 64 lower-case hex characters. Streams the file, so size does not matter.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static string Of(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>Whether <paramref name="digest"/> looks like a SHA-256: exactly 64 hex characters (either case).</summary>
    public static bool IsDigest(string? digest) =>
        digest is { Length: 64 } && digest.All(char.IsAsciiHexDigit);
}
