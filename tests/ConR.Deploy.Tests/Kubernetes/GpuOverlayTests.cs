using System.Text.Json.Nodes;
using ConR.Deploy.Tests.Support;

namespace ConR.Deploy.Tests.Kubernetes;

public sealed class GpuOverlayTests
{
    private readonly IReadOnlyList<JsonObject> objects = Manifests.Gpu();

    [Fact]
    public void Render_Gpu_KeepsEveryObjectOfTheBase()
    {
        Assert.Equal(
            Manifests.Base().Select(o => $"{K8s.Kind(o)}/{K8s.Name(o)}").Order(StringComparer.Ordinal),
            objects.Select(o => $"{K8s.Kind(o)}/{K8s.Name(o)}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Deployment_RunsTheGpuImageOnOneGpu_WithCudaRequired()
    {
        var podSpec = K8s.PodSpec(K8s.Single(objects, "Deployment"));
        var container = K8s.Container(podSpec);

        ServingChecks.AssertOnGpu(podSpec, container);
        Assert.Equal("conr-api:gpu", container["image"]!.GetValue<string>());
        Assert.Equal("nvidia", podSpec["runtimeClassName"]?.GetValue<string>());
    }

    [Fact]
    public void Deployment_KeepsTheBasesProbesEnvModelsAndSecurity()
    {
        var podSpec = K8s.PodSpec(K8s.Single(objects, "Deployment"));
        var container = K8s.Container(podSpec);

        ServingChecks.AssertProbes(container);
        ServingChecks.AssertEnvBinds(container);
        ServingChecks.AssertAdminKeyFromSecret(container);
        ServingChecks.AssertNonRoot(podSpec, container);
        ServingChecks.AssertResources(container);

        // The patch merges into the base's lists instead of replacing them.
        Assert.Equal(4, K8s.Env(container).Count);
        Assert.Equal(["/models", "/tmp"], container["volumeMounts"]!.AsArray().Select(m => m!["mountPath"]!.GetValue<string>()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Rollout_ReplacesPodsInPlace_SinceNoSpareGpuIsThereToSurgeOnto()
    {
        var rolling = K8s.Single(objects, "Deployment")["spec"]!["strategy"]!["rollingUpdate"]!;

        Assert.Equal(0, rolling["maxSurge"]!.GetValue<long>());
        Assert.Equal(1, rolling["maxUnavailable"]!.GetValue<long>());
    }

    [Fact]
    public void Autoscaler_ScalesOnTheQueueAlone()
    {
        var spec = K8s.Single(objects, "HorizontalPodAutoscaler")["spec"]!;

        var metric = Assert.Single(spec["metrics"]!.AsArray())!;
        Assert.Equal("conr_inference_queue_depth", metric["pods"]!["metric"]!["name"]!.GetValue<string>());
        Assert.Equal(1, spec["minReplicas"]!.GetValue<long>());
    }
}
