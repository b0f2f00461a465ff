using System.Text.Json.Nodes;
using ConR.Api.Options;
using ConR.Deploy.Tests.Support;

namespace ConR.Deploy.Tests.Kubernetes;

public sealed class KServeManifestTests
{
    private readonly JsonObject service = Assert.Single(Manifests.KServe());

    [Fact]
    public void InferenceService_IsACustomPredictorOfTheGpuImage()
    {
        Assert.Equal("serving.kserve.io/v1beta1", service["apiVersion"]!.GetValue<string>());
        Assert.Equal("InferenceService", K8s.Kind(service));
        var container = K8s.Container(K8s.PodSpec(service));

        // KServe routes to, and mounts storage into, the container of this name.
        Assert.Equal("kserve-container", container["name"]!.GetValue<string>());
        var gpuImage = K8s.Container(K8s.PodSpec(K8s.Single(Manifests.Gpu(), "Deployment")))["image"]!.GetValue<string>();
        Assert.Equal(gpuImage, container["image"]!.GetValue<string>());
    }

    [Fact]
    public void Predictor_SpeaksV2OnTheImagesPort_WithTheSameProbesEnvAndGpu()
    {
        var podSpec = K8s.PodSpec(service);
        var container = K8s.Container(podSpec);

        ServingChecks.AssertProbes(container);
        ServingChecks.AssertEnvBinds(container);
        ServingChecks.AssertAdminKeyFromSecret(container);
        ServingChecks.AssertNonRoot(podSpec, container);
        ServingChecks.AssertResources(container);
        ServingChecks.AssertOnGpu(podSpec, container);
    }

    [Fact]
    public void Models_ComeFromTheBasesClaim_MountedWhereTheAppReadsThem()
    {
        var container = K8s.Container(K8s.PodSpec(service));
        var claim = K8s.Single(Manifests.Base(), "PersistentVolumeClaim");

        // KServe mounts a pvc:// STORAGE_URI read-only at /mnt/models.
        Assert.Equal($"pvc://{K8s.Name(claim)}", K8s.EnvValue(container, "STORAGE_URI"));
        Assert.Equal("/mnt/models", K8s.EnvValue(container, $"{InferenceOptions.SectionName}__{nameof(InferenceOptions.ModelRepository)}"));
    }
}
