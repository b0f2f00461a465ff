using System.Text.Json.Nodes;
using ConR.Deploy.Tests.Support;
using ConR.Deploy.Tests.Support.Kustomize;

namespace ConR.Deploy.Tests.Kubernetes;

/// <summary>The test renderer and the real kustomize (kubectl's) give the same objects for deploy/k8s.</summary>
public sealed class KubectlParityTests
{
    [KubectlFact]
    public void Base_RendersTheSameAsKubectlKustomize() => AssertSame(Manifests.BaseFolder);

    [KubectlFact]
    public void GpuOverlay_RendersTheSameAsKubectlKustomize() => AssertSame(Manifests.GpuFolder);

    private static void AssertSame(string folder)
    {
        var result = Processes.Run("kubectl", ["kustomize", folder], RepositoryRoot.Path, TimeSpan.FromMinutes(1));
        Assert.True(result.ExitCode == 0, result.Describe("kubectl kustomize"));
        var expected = Canonical(YamlDocuments.Parse(result.Output, "kubectl kustomize").OfType<JsonObject>());
        var actual = Canonical(KustomizeRenderer.Render(folder));

        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (id, text) in expected)
        {
            Assert.Equal(text, actual[id]);
        }
    }

    private static Dictionary<string, string> Canonical(IEnumerable<JsonObject> objects) =>
        objects.ToDictionary(o => $"{K8s.Kind(o)}/{K8s.Metadata(o)["namespace"]}/{K8s.Name(o)}", CanonicalJson.Write);
}
