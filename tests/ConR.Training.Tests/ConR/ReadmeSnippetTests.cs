using System.Runtime.Loader;
using ConR.Tests.Common;
using Microsoft.CodeAnalysis;
using static TorchSharp.torch;

namespace ConR.Training.Tests.ConR;

/// <summary>The README's "ConR as a library" snippet compiles against this build and computes a loss that trains.</summary>
public sealed class ReadmeSnippetTests
{
    private const string Section = "## ConR as a library";

    [Fact]
    public void LibrarySnippet_Compiles_AndGivesAFiniteLossWithGradientsOnTheFeatures()
    {
        var (usings, body) = Snippet(File.ReadAllText(Path.Combine(SourceTree.Root(), "README.md")));
        var code = $$"""
            {{usings}}
            public static class ReadmeSnippet
            {
                public static TorchSharp.torch.Tensor Run(TorchSharp.torch.Tensor features, TorchSharp.torch.Tensor labels,
                    TorchSharp.torch.Tensor predictions, TorchSharp.torch.Tensor weights)
                {
                    {{body}}
                    return loss;
                }
            }
            """;
        var context = new AssemblyLoadContext("readme-snippet", isCollectible: true);
        try
        {
            var run = InMemoryCompiler.Compile("ReadmeSnippet", code, context, NullableContextOptions.Enable).GetType("ReadmeSnippet")!.GetMethod("Run")!;
            using var scope = NewDisposeScope();
            using var generator = new TorchSharp.torch.Generator(7);
            var features = randn([8, 4], generator: generator).requires_grad_();
            var labels = tensor(new float[] { 20, 21, 25, 40, 41, 60, 61, 80 });
            var predictions = tensor(new float[] { 30, 30, 31, 30, 45, 50, 70, 70 });

            var loss = (Tensor)run.Invoke(null, [features, labels, predictions, ones(8)])!;
            loss.backward();

            Assert.Equal(0, loss.dim());
            Assert.True(float.IsFinite(loss.item<float>()) && loss.item<float>() > 0, $"loss {loss.item<float>()}");
            Assert.True(features.grad!.abs().sum().item<float>() > 0, "no gradient reached the features");
        }
        finally
        {
            context.Unload();
        }
    }

    // The first C# block under the section: its using directives, and the statements after them.
    private static (string Usings, string Body) Snippet(string readme)
    {
        var section = readme.IndexOf(Section, StringComparison.Ordinal);
        Assert.True(section >= 0, $"README.md has no \"{Section}\" section");
        var start = readme.IndexOf("```csharp\n", section, StringComparison.Ordinal) + "```csharp\n".Length;
        var end = readme.IndexOf("```", start, StringComparison.Ordinal);
        var lines = readme[start..end].Split('\n');
        var usings = lines.TakeWhile(l => l.StartsWith("using ", StringComparison.Ordinal) || l.Length == 0);
        return (string.Join('\n', usings), string.Join('\n', lines.Skip(usings.Count())));
    }
}
