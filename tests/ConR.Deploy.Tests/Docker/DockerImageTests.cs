using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using ConR.Deploy.Tests.Support;
using ConR.Deploy.Tests.Support.Docker;
using Xunit.Abstractions;

namespace ConR.Deploy.Tests.Docker;

/// <summary>
/// The repository's Dockerfile, built without a Docker engine: its steps run as it says them, from the context
/// .dockerignore lets in (restore with only the project files copied so far, then publish), and the published app
/// starts as the image's non-root user on the bundled models. A COPY of a missing file, a file the app needs that the
/// context leaves out, or a project the restore cannot see fails here as it would fail `docker build` or the container.
/// </summary>
[Collection(nameof(SlowBuilds))]
public sealed class DockerImageTests(ITestOutputHelper output) : IDisposable
{
    private readonly DirectoryInfo scratch = CreateScratch();

    public void Dispose()
    {
        try
        {
            scratch.Delete(recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the temp folder is left for the OS to clean.
        }
    }

    [Fact]
    public async Task Image_BuiltFromItsContext_StartsAsNonRoot_ReadyWithTheDemoPageAndEveryManifestProbe()
    {
        var watch = Stopwatch.StartNew();
        var context = Path.Combine(scratch.FullName, "context");
        var files = BuildContext.Copy(RepositoryRoot.Path, context);
        output.WriteLine($"context: {files} files");

        // Docker reads the Dockerfile beside the context, not from it (.dockerignore leaves it out).
        var dockerfile = Dockerfile.Load(RepositoryRoot.Combine("Dockerfile"));
        var image = new DockerBuild(dockerfile, context, Path.Combine(scratch.FullName, "stages"), output.WriteLine).Build();
        output.WriteLine($"built in {watch.Elapsed.TotalSeconds:F0} s; skipped on the runtime base: {string.Join(" | ", image.SkippedRuns)}");

        using var app = ContainerProcess.Start(image, scratch.FullName);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        await app.WaitUntilOkAsync(client, "/v2/health/ready", TimeSpan.FromMinutes(3));
        output.WriteLine($"ready after {watch.Elapsed.TotalSeconds:F0} s in all");

        Assert.NotEqual(0, app.Uid());
        foreach (var probe in Manifests.ProbePaths())
        {
            using var response = await client.GetAsync(Url(app, probe));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{probe} (a probe of deploy/k8s) answered {(int)response.StatusCode}.");
        }

        using (var page = await client.GetAsync(Url(app, "/")))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        }

        // The image's own HEALTHCHECK, pointed at this port instead of the image's.
        Assert.NotNull(image.HealthCheck);
        var check = image.HealthCheck.Select(w => Regex.Replace(w, $@"\b{app.ImagePort}\b", app.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList();
        Assert.NotEqual(image.HealthCheck, check);
        var health = Processes.Run(check[0], check.Skip(1), scratch.FullName, TimeSpan.FromSeconds(10));
        Assert.True(health.ExitCode == 0, health.Describe("HEALTHCHECK"));
        Assert.False(app.HasExited, app.Output);
    }

    private static Uri Url(ContainerProcess app, string path) => new($"http://127.0.0.1:{app.Port}{path}");

    // Traversable by the image's user when the test runs as root (a new temp folder is private to its owner).
    private static DirectoryInfo CreateScratch()
    {
        var folder = Directory.CreateTempSubdirectory("conr-image-");
        File.SetUnixFileMode(folder.FullName, (UnixFileMode)Convert.ToInt32("755", 8));

        return folder;
    }
}
