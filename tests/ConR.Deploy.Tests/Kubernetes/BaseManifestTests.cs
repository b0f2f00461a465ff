using System.Text.Json.Nodes;
using ConR.Api.Metrics;
using ConR.Api.Options;
using ConR.Deploy.Tests.Support;

namespace ConR.Deploy.Tests.Kubernetes;

public sealed class BaseManifestTests
{
    private readonly IReadOnlyList<JsonObject> objects = Manifests.Base();

    [Fact]
    public void Render_Base_HoldsTheDeploymentServiceBudgetAutoscalerAndModelsClaim_InOneNamespace()
    {
        Assert.Equal(
            ["Deployment", "HorizontalPodAutoscaler", "PersistentVolumeClaim", "PodDisruptionBudget", "Service"],
            objects.Select(K8s.Kind).Order(StringComparer.Ordinal));
        Assert.All(objects, o => Assert.Equal("conr", K8s.Metadata(o)["namespace"]?.GetValue<string>()));
        Assert.All(objects, o => Assert.Equal("conr", K8s.Metadata(o)["labels"]?["app.kubernetes.io/part-of"]?.GetValue<string>()));
    }

    [Fact]
    public void Deployment_Container_ServesOnTheImagesPortWithProbesOnTheV2HealthRoutes()
    {
        var container = K8s.Container(K8s.PodSpec(K8s.Single(objects, "Deployment")));

        ServingChecks.AssertProbes(container);
        Assert.Equal("conr-api:cpu", container["image"]!.GetValue<string>());
    }

    [Fact]
    public void Deployment_Env_BindsToTheAppsOptions_WithTheAdminKeyFromASecret()
    {
        var container = K8s.Container(K8s.PodSpec(K8s.Single(objects, "Deployment")));

        ServingChecks.AssertEnvBinds(container);
        ServingChecks.AssertAdminKeyFromSecret(container);
        Assert.Equal("cpu", K8s.EnvValue(container, $"{InferenceOptions.SectionName}__{nameof(InferenceOptions.Device)}"));
    }

    [Fact]
    public void Deployment_Models_ComeReadOnlyFromTheClaim_AtTheRepositoryTheAppReads()
    {
        var podSpec = K8s.PodSpec(K8s.Single(objects, "Deployment"));
        var container = K8s.Container(podSpec);
        var repository = K8s.EnvValue(container, $"{InferenceOptions.SectionName}__{nameof(InferenceOptions.ModelRepository)}") ?? Manifests.Image.Env("Inference__ModelRepository");

        var mount = Assert.Single(container["volumeMounts"]!.AsArray().Cast<JsonObject>(), m => m["mountPath"]!.GetValue<string>() == repository);
        Assert.True(mount["readOnly"]!.GetValue<bool>());
        var volume = Assert.Single(podSpec["volumes"]!.AsArray().Cast<JsonObject>(), v => v["name"]!.ToString() == mount["name"]!.ToString());
        Assert.True(volume["persistentVolumeClaim"]!["readOnly"]!.GetValue<bool>());
        var claim = volume["persistentVolumeClaim"]!["claimName"]!.GetValue<string>();
        Assert.Contains(objects, o => K8s.Kind(o) == "PersistentVolumeClaim" && K8s.Name(o) == claim);
    }

    [Fact]
    public void Deployment_RunsAsTheImagesNonRootUser_WithRequestsAndLimits()
    {
        var podSpec = K8s.PodSpec(K8s.Single(objects, "Deployment"));
        var container = K8s.Container(podSpec);

        ServingChecks.AssertNonRoot(podSpec, container);
        ServingChecks.AssertResources(container);

        // The root file system is read-only, so uploads buffered to disk need a writable /tmp.
        Assert.True(container["securityContext"]!["readOnlyRootFilesystem"]!.GetValue<bool>());
        Assert.Contains(container["volumeMounts"]!.AsArray().Cast<JsonObject>(), m => m["mountPath"]!.GetValue<string>() == "/tmp" && m["readOnly"] is null);
    }

    [Fact]
    public void ServiceBudgetAndAutoscaler_AllPointAtTheDeploymentsPods()
    {
        var deployment = K8s.Single(objects, "Deployment");
        var podLabels = deployment["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
        var port = ServingChecks.ServedPort(K8s.Container(K8s.PodSpec(deployment)));

        var service = K8s.Single(objects, "Service");
        AssertSelects(service["spec"]!["selector"]!.AsObject(), podLabels);
        var targetPort = Assert.Single(service["spec"]!["ports"]!.AsArray())!["targetPort"]!;
        Assert.True(targetPort.ToString() == port["name"]!.ToString() || targetPort.ToString() == port["containerPort"]!.ToString(), $"Service targetPort {targetPort} is not the container's port.");

        AssertSelects(K8s.Single(objects, "PodDisruptionBudget")["spec"]!["selector"]!["matchLabels"]!.AsObject(), podLabels);
        AssertSelects(deployment["spec"]!["selector"]!["matchLabels"]!.AsObject(), podLabels);

        var target = K8s.Single(objects, "HorizontalPodAutoscaler")["spec"]!["scaleTargetRef"]!;
        Assert.Equal(("Deployment", K8s.Name(deployment)), (target["kind"]!.GetValue<string>(), target["name"]!.GetValue<string>()));
    }

    [Fact]
    public void Autoscaler_ScalesOnTheQueueDepthTheAppExports()
    {
        var metrics = K8s.Single(objects, "HorizontalPodAutoscaler")["spec"]!["metrics"]!.AsArray().Cast<JsonObject>().ToList();
        var queue = Assert.Single(metrics, m => m["type"]!.GetValue<string>() == "Pods")["pods"]!["metric"]!["name"]!.GetValue<string>();

        // The name must be one /metrics really writes.
        var exported = new ApiMetrics();
        exported.ObserveModels(() => [new ModelGaugeSample("age", 3, true, 1, false)]);
        Assert.Contains($"{queue}{{model=\"age\"}} 3", exported.Scrape(), StringComparison.Ordinal);
        Assert.Contains(metrics, m => m["type"]!.GetValue<string>() == "Resource");
    }

    private static void AssertSelects(JsonObject selector, JsonObject labels)
    {
        Assert.NotEmpty(selector);
        foreach (var (key, value) in selector)
        {
            Assert.Equal(value?.ToString(), labels[key]?.ToString());
        }
    }
}
