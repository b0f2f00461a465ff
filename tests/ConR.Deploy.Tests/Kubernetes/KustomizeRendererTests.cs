using System.Text.Json.Nodes;
using ConR.Deploy.Tests.Support;
using ConR.Deploy.Tests.Support.Kustomize;

namespace ConR.Deploy.Tests.Kubernetes;

public sealed class KustomizeRendererTests : IDisposable
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("conr-kustomize-");

    public void Dispose() => folder.Delete(recursive: true);

    [Fact]
    public void StrategicMerge_MergesListsByKey_PatchItemsFirst_AndNullDeletes()
    {
        var target = Parse("""
            spec:
              containers:
                - name: app
                  image: a
                  env: [{name: A, value: "1"}, {name: B, value: "2"}]
              nodeName: n1
            """);
        var patch = Parse("""
            spec:
              containers:
                - name: app
                  env: [{name: B, value: "3"}, {name: C, value: "4"}]
              nodeName: null
            """);

        StrategicMerge.Apply(target, patch, "test");

        var container = target["spec"]!["containers"]![0]!;
        Assert.Equal("a", container["image"]!.GetValue<string>());
        Assert.Equal(["B=3", "C=4", "A=1"], container["env"]!.AsArray().Select(e => $"{e!["name"]}={e["value"]}"));
        Assert.False(target["spec"]!.AsObject().ContainsKey("nodeName"));
    }

    [Fact]
    public void StrategicMerge_AListWithoutAKnownMergeKey_IsRefused()
    {
        var target = Parse("spec: {hostAliases: [{ip: 1.2.3.4}]}");

        Assert.Throws<NotSupportedException>(() => StrategicMerge.Apply(target, Parse("spec: {hostAliases: [{ip: 5.6.7.8}]}"), "test"));
    }

    [Fact]
    public void JsonPatch_AFailedTest_StopsTheRender()
    {
        var target = Parse("spec: {metrics: [{type: Pods}]}");
        var operations = (JsonArray)YamlDocuments.Parse("[{op: test, path: /spec/metrics/0/type, value: Resource}, {op: remove, path: /spec/metrics/0}]", "test")[0]!;

        Assert.Throws<InvalidOperationException>(() => JsonPatch.Apply(target, operations, "test"));
        Assert.Single(target["spec"]!["metrics"]!.AsArray());
    }

    [Theory]
    [InlineData("conr-api", "conr-api", null, null)]
    [InlineData("registry:5000/team/conr-api:gpu", "registry:5000/team/conr-api", "gpu", null)]
    [InlineData("conr-api:1@sha256:ab", "conr-api", "1", "sha256:ab")]
    public void ImageSplit_ReadsTheTagAfterTheLastSlashOnly(string image, string name, string? tag, string? digest)
    {
        Assert.Equal((name, tag, digest), ImageTransformer.Split(image));
    }

    [Fact]
    public void Render_AFieldOutsideTheSubset_IsRefusedByName()
    {
        File.WriteAllText(Path.Combine(folder.FullName, "kustomization.yaml"), "resources: []\nconfigMapGenerator: []\n");

        var error = Assert.Throws<NotSupportedException>(() => KustomizeRenderer.Render(folder.FullName));
        Assert.Contains("configMapGenerator", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_APatchThatMatchesNothing_Fails()
    {
        File.WriteAllText(Path.Combine(folder.FullName, "cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n");
        File.WriteAllText(Path.Combine(folder.FullName, "patch.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\ndata: {x: y}\n");
        File.WriteAllText(Path.Combine(folder.FullName, "kustomization.yaml"), "resources: [cm.yaml]\npatches: [{path: patch.yaml}]\n");

        Assert.Throws<InvalidOperationException>(() => KustomizeRenderer.Render(folder.FullName));
    }

    private static JsonObject Parse(string yaml) => (JsonObject)YamlDocuments.Parse(yaml, "test")[0]!;
}
