using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using ConR.Training.Depth.Synth;

namespace ConR.Training.Tests.Depth.Synth;

/// <summary>
/// SynthDepth-DIR sets generated before the realism options must stay reproducible byte for byte: these digests were
/// computed with the generator as it was before those options existed (main at 31cb1df), so any change to the
/// default path shows here. They hash doubles rendered through libm (sin, cos, pow, exp), so a different C library
/// could in principle move a last bit; the CI image and the training machines share one.
/// </summary>
public sealed class SynthLegacyDigestTests
{
    [Theory]
    [InlineData(1, 0, 64, 48, "1da26bf09edf58761cfa2f7989f2788f64022f0eb4999b04410ba761225b4e22")]
    [InlineData(7, 3, 128, 96, "129ab0ac90cafffa0b3bf480a00acccb45a5b831f891351c3fbdf74fbb6fe870")]
    [InlineData(20260101, 12345, 40, 30, "d0379097aa7eb4c9bc68dfa3705c16d16cc86951d46a764613ed02500ffc4fad")]
    public void RenderScene_DefaultSettings_MatchesTheDigestRecordedBeforeTheRealismOptions(int seed, int index, int width, int height, string digest)
    {
        var scene = SynthDepthGenerator.RenderScene(seed, index, width, height);

        Assert.Equal(digest, SceneDigest(scene));
    }

    [Fact]
    public void Generate_DefaultSettings_WritesTheFilesRecordedBeforeTheRealismOptions()
    {
        using var dir = new SynthTempDir();
        var options = new SynthDepthOptions(dir.Path, Count: 6, Width: 32, Height: 24, Seed: 5) { MaxDegreeOfParallelism = 1 };

        SynthDepthGenerator.Generate(options);

        // Every file but summary.json (it holds the elapsed time): PNGs, split CSVs, histogram.
        Assert.Equal("ec645a5dcca862e48edb0b77edd179c9b2995af7ff92a8b50682ab18a07e5082", SetDigest(dir.Path));
    }

    internal static string SceneDigest(SynthScene scene)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(scene.Rgb);
        sha.AppendData(MemoryMarshal.AsBytes(scene.Depth.AsSpan()));
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static string SetDigest(string root)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var files = Directory.GetFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f))
            .Where(f => f != SynthDepthGenerator.SummaryJson)
            .Order(StringComparer.Ordinal);
        foreach (string file in files)
        {
            sha.AppendData(Encoding.UTF8.GetBytes(file + "\n"));
            sha.AppendData(File.ReadAllBytes(Path.Combine(root, file)));
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
