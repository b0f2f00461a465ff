using System.Text.Json.Nodes;
using ConR.Api.Options;
using ConR.Deploy.Tests.Support;

namespace ConR.Deploy.Tests.Kubernetes;

/// <summary>What every pod that runs the API must get right, whichever manifest it comes from.</summary>
internal static class ServingChecks
{
    // What a value from a Secret binds as: long enough for Inference:AdminApiKey's 16-character minimum.
    private const string SecretStandIn = "secret-from-kubernetes-0123456789";

    /// <summary>The container's HTTP port: the one port it declares, which must be the one the image listens on.</summary>
    public static JsonObject ServedPort(JsonObject container)
    {
        var port = Assert.Single(container["ports"]!.AsArray().Cast<JsonObject>());
        Assert.Equal(Manifests.Image.Port, port["containerPort"]!.GetValue<long>());
        return port;
    }

    /// <summary>Startup and readiness on /v2/health/ready, liveness on /v2/health/live, all on the served port.</summary>
    public static void AssertProbes(JsonObject container)
    {
        var port = ServedPort(container);
        foreach (var (probe, path) in new[] { ("startupProbe", "/v2/health/ready"), ("readinessProbe", "/v2/health/ready"), ("livenessProbe", "/v2/health/live") })
        {
            var httpGet = container[probe]?["httpGet"] ?? throw new Xunit.Sdk.XunitException($"{K8s.Name(container)} has no {probe}.httpGet.");
            Assert.Equal(path, httpGet["path"]!.GetValue<string>());
            var target = httpGet["port"]!;
            if (target.GetValueKind() == System.Text.Json.JsonValueKind.String)
            {
                Assert.Equal(port["name"]?.GetValue<string>(), target.GetValue<string>());
            }
            else
            {
                Assert.Equal(port["containerPort"]!.GetValue<long>(), target.GetValue<long>());
            }
        }

        // Liveness must not start before the models are warm: the startup probe covers at least the app's own
        // warm-up limit (Inference:WarmupTimeoutMs) before it gives up.
        var startup = container["startupProbe"]!;
        var budgetSeconds = (startup["periodSeconds"]?.GetValue<long>() ?? 10) * (startup["failureThreshold"]?.GetValue<long>() ?? 3);
        Assert.True(budgetSeconds * 1000 >= new InferenceOptions().WarmupTimeoutMs, $"The startup probe allows {budgetSeconds} s, less than Inference:WarmupTimeoutMs.");
    }

    /// <summary>Every variable that looks like a setting binds to the app's options and passes their validation.</summary>
    public static void AssertEnvBinds(JsonObject container)
    {
        var variables = K8s.Env(container).Select(e => (e.Name, e.Value ?? SecretStandIn)).ToList();
        Assert.Empty(BoundOptions.Check(variables));
        foreach (var (name, _) in variables.Where(v => !v.Name.Contains("__", StringComparison.Ordinal)))
        {
            // Not a setting of the app: only the platform's own variables may appear.
            Assert.True(name.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || name.StartsWith("DOTNET_", StringComparison.Ordinal) || name == "STORAGE_URI", $"{name} is neither an option the app binds nor a platform variable.");
        }
    }

    /// <summary>The admin key comes from a Secret, never as a literal in the manifest.</summary>
    public static void AssertAdminKeyFromSecret(JsonObject container)
    {
        var admin = Assert.Single(K8s.Env(container), e => e.Name == $"{InferenceOptions.SectionName}__{nameof(InferenceOptions.AdminApiKey)}");
        Assert.Null(admin.Value);
        Assert.NotNull(admin.From?["secretKeyRef"]?["name"]);
    }

    /// <summary>Runs as the image's non-root user, without privilege escalation.</summary>
    public static void AssertNonRoot(JsonObject podSpec, JsonObject container)
    {
        var pod = podSpec["securityContext"]!;
        Assert.True(pod["runAsNonRoot"]!.GetValue<bool>());
        Assert.Equal(Manifests.Image.User, pod["runAsUser"]!.GetValue<long>());
        Assert.False(container["securityContext"]!["allowPrivilegeEscalation"]!.GetValue<bool>());
    }

    /// <summary>CPU and memory requested and limited, each limit at least its request.</summary>
    public static void AssertResources(JsonObject container)
    {
        var requests = container["resources"]!["requests"]!.AsObject();
        var limits = container["resources"]!["limits"]!.AsObject();
        foreach (var resource in new[] { "cpu", "memory" })
        {
            var request = Quantity.Parse(requests[resource]!.ToString());
            var limit = Quantity.Parse(limits[resource]!.ToString());
            Assert.True(limit >= request, $"{resource}: limit {limit} below request {request}.");
        }

        // ONNX Runtime counts the node's cores: more threads than the CPU limit only thrash.
        var threads = K8s.EnvValue(container, $"{InferenceOptions.SectionName}__{nameof(InferenceOptions.IntraOpThreads)}");
        Assert.NotNull(threads);
        Assert.InRange(double.Parse(threads, System.Globalization.CultureInfo.InvariantCulture), 1, Quantity.Parse(limits["cpu"]!.ToString()));
    }

    /// <summary>One GPU, on nodes that have one (the GPU operator's label and taint), with CUDA required.</summary>
    public static void AssertOnGpu(JsonObject podSpec, JsonObject container)
    {
        Assert.Equal(1, container["resources"]!["limits"]!["nvidia.com/gpu"]!.GetValue<long>());
        Assert.Equal("true", podSpec["nodeSelector"]?["nvidia.com/gpu.present"]?.GetValue<string>());
        Assert.Contains(podSpec["tolerations"]!.AsArray().Cast<JsonObject>(), t => t["key"]?.GetValue<string>() == "nvidia.com/gpu");
        var device = K8s.EnvValue(container, $"{InferenceOptions.SectionName}__{nameof(InferenceOptions.Device)}");
        Assert.True(Enum.TryParse<InferenceDevice>(device, ignoreCase: true, out var parsed) && parsed == InferenceDevice.Cuda, $"Inference__Device is '{device}', not cuda.");
    }
}
