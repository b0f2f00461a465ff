using System.Security.Cryptography;
using System.Text;
using ConR.Training.Depth.Models;
using ConR.Training.Depth.Export;
using Google.Protobuf;
using static TorchSharp.torch;

namespace ConR.Training.Tests.Depth.Models;

/// <summary>
/// The stride-4 decoder of models/depth/1 and every run folder before the full-resolution decoder must stay as it
/// was: same parameters (names, shapes, and the seeded initial values, so a seed trains the same run) and the same
/// exported graph. The digests were recorded before the full-resolution decoder was added (main at 31cb1df).
/// </summary>
[Collection(SeededTorchRuns.Name)]
public sealed class DepthNetLegacyTests
{
    [Theory]
    [InlineData("resnet18", 0.0625, 32, 24, 0.5, "2b95a1bc7e99c79ccc6fa4787ffc298322be6b7f6a4ef9ac52eae5afb43b30a5")]
    [InlineData("resnet18", 0.25, 64, 48, 0.5, "9edce8c4946e905aa9e5644df04228a056da9af914943a446f189b4283274def")] // models/depth/1's shape
    public void SeededModel_DefaultDecoder_HasTheParametersRecordedBeforeTheFullResolutionDecoder(
        string architecture, double width, int w, int h, double fraction, string digest)
    {
        manual_seed(7);
        using var model = new DepthNet(new DepthModelSpec(architecture, width, w, h, fraction));

        Assert.Equal(digest, StateDigest(model));
    }

    [Fact]
    public void SeededModel_DefaultDecoder_ExportsTheGraphRecordedBeforeTheFullResolutionDecoder()
    {
        manual_seed(7);
        using var model = new DepthNet(new DepthModelSpec("resnet18", 0.0625, 32, 24, 0.5));
        model.eval();

        // Nodes and initializers only: the model's metadata may grow new keys.
        var graph = DepthOnnxExport.ToModel(model).Graph.ToByteArray();

        Assert.Equal("4f7981ac537daab485358f486ca3e224e9aa2e6a1a80be84f050f408fb998f6b", Convert.ToHexStringLower(SHA256.HashData(graph)));
    }

    /// <summary>SHA-256 over every state_dict entry's name and float bytes, in state_dict order.</summary>
    internal static string StateDigest(DepthNet model)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, tensor) in model.state_dict())
        {
            sha.AppendData(Encoding.UTF8.GetBytes(name + "\n"));
            sha.AppendData(tensor.cpu().contiguous().bytes);
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
