using System.Text.Json.Nodes;
using ConR.Deploy.Tests.Support.Docker;
using ConR.Deploy.Tests.Support.Kustomize;

namespace ConR.Deploy.Tests.Support;

/// <summary>deploy/k8s rendered (base, the gpu overlay) and read (the KServe manifest), and the image facts they must agree with.</summary>
internal static class Manifests
{
    public static string K8sRoot { get; } = RepositoryRoot.Combine("deploy", "k8s");

    public static string BaseFolder { get; } = Path.Combine(K8sRoot, "base");

    public static string GpuFolder { get; } = Path.Combine(K8sRoot, "overlays", "gpu");

    public static IReadOnlyList<JsonObject> Base() => KustomizeRenderer.Render(BaseFolder);

    public static IReadOnlyList<JsonObject> Gpu() => KustomizeRenderer.Render(GpuFolder);

    public static IReadOnlyList<JsonObject> KServe() =>
        [.. Directory.GetFiles(Path.Combine(K8sRoot, "kserve"), "*.yaml").Order(StringComparer.Ordinal)
            .SelectMany(YamlDocuments.ParseFile).OfType<JsonObject>()];

    /// <summary>Every HTTP probe path of every rendered pod spec: the paths a cluster will call on the app.</summary>
    public static IReadOnlyList<string> ProbePaths() =>
        [.. Base().Concat(Gpu()).Concat(KServe())
            .Where(r => K8s.Kind(r) is "Deployment" or "InferenceService")
            .SelectMany(r => K8s.PodSpec(r)["containers"]!.AsArray().Cast<JsonObject>())
            .SelectMany(c => new[] { "startupProbe", "readinessProbe", "livenessProbe" }.Select(p => c[p]?["httpGet"]?["path"]?.GetValue<string>()))
            .OfType<string>()
            .Distinct()
            .Order(StringComparer.Ordinal)];

    /// <summary>The image the Dockerfile builds, read from its last stage without building it.</summary>
    public static class Image
    {
        private static readonly DockerStage Runtime = Dockerfile.Load(RepositoryRoot.Combine("Dockerfile")).Stages[^1];

        /// <summary>Gets the port the app listens on (ENV ASPNETCORE_HTTP_PORTS).</summary>
        public static long Port { get; } = long.Parse(Env("ASPNETCORE_HTTP_PORTS"), System.Globalization.CultureInfo.InvariantCulture);

        /// <summary>Gets the numeric user the image runs as (USER).</summary>
        public static long User { get; } = long.Parse(Runtime.Instructions.Last(i => i.Keyword == "USER").Arguments.Split(':')[0], System.Globalization.CultureInfo.InvariantCulture);

        public static string Env(string name) =>
            Runtime.Instructions.Where(i => i.Keyword == "ENV").SelectMany(i => Dockerfile.Pairs(i.Arguments)).Last(p => p.Key == name).Value
            ?? throw new InvalidDataException($"The Dockerfile's last stage sets no {name}.");
    }
}
