using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using ConR.Tests.Common;

namespace ConR.Api.Tests.Hosting;

/// <summary>The deployment files in the repository: what they declare is what systemd, Docker and git expect.</summary>
public sealed class DeployFilesTests
{
    private static readonly string Root = SourceTree.Root();

    [Fact]
    public void SystemdUnit_StartLimits_AreInUnit_AndTheInstallStepsCreateTheEnvFolder()
    {
        var sections = IniSections(File.ReadAllLines(Path.Combine(Root, "deploy", "conr-api.service")));
        foreach (var key in new[] { "StartLimitIntervalSec", "StartLimitBurst" })
        {
            Assert.Contains(key, sections["Unit"]);
            Assert.DoesNotContain(key, sections["Service"]);
        }
        var header = File.ReadAllText(Path.Combine(Root, "deploy", "conr-api.service"));
        int mkdir = header.IndexOf("install -d", StringComparison.Ordinal);
        int env = header.IndexOf("/etc/conr-api/env", StringComparison.Ordinal);
        Assert.True(mkdir >= 0 && mkdir < env, "the install steps must create /etc/conr-api before writing its env file");
    }

    [Fact]
    public void Dockerfile_StampsTheCommit_FromABuildArgument()
    {
        var dockerfile = File.ReadAllText(Path.Combine(Root, "Dockerfile"));
        Assert.Matches(@"ARG SOURCE_REVISION", dockerfile);
        Assert.Matches(@"-p:SourceRevisionId=\$\{SOURCE_REVISION", dockerfile);
        var compose = File.ReadAllText(Path.Combine(Root, "deploy", "docker-compose.yml"));
        Assert.Equal(2, Regex.Count(compose, @"SOURCE_REVISION: \$\{SOURCE_REVISION"));
    }

    [Fact]
    public void ComposeServices_EachHaveTheDockerfilesHealthcheck()
    {
        var compose = File.ReadAllText(Path.Combine(Root, "deploy", "docker-compose.yml"));
        Assert.Equal(2, Regex.Count(compose, @"^\s+healthcheck:", RegexOptions.Multiline));
        var test = Regex.Match(compose, @"test: (\[.*\])").Groups[1].Value;
        Assert.Equal(DockerHealthcheck().Prepend("CMD"), JsonSerializer.Deserialize<string[]>(test));
    }

    [Fact]
    public async Task DockerHealthcheck_AgainstTheRealService_FailsBeforeItIsUp_AndPassesWhenReady()
    {
        int port = FreePort();
        var command = DockerHealthcheck().Select(a => a.Replace("8080", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)).ToArray();
        Assert.NotEqual(0, await RunAsync(command[0], command[1..]));

        var api = Path.Combine(AppContext.BaseDirectory, "ConR.Api.dll");
        var start = new ProcessStartInfo("dotnet", [api, $"--urls=http://127.0.0.1:{port}", $"--Inference:ModelRepository={Path.Combine(Root, "models")}", "--Inference:Device=cpu"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        using var service = Process.Start(start)!;
        _ = service.StandardOutput.ReadToEndAsync();
        _ = service.StandardError.ReadToEndAsync();
        try
        {
            int code = -1;
            for (int i = 0; i < 120 && code != 0; i++)
            {
                await Task.Delay(500);
                code = await RunAsync(command[0], command[1..]);
            }
            Assert.Equal(0, code);
        }
        finally
        {
            service.Kill(entireProcessTree: true);
            await service.WaitForExitAsync();
        }
    }

    [Fact]
    public void ReadmeQuickstart_WritesGeneratedDataUnderAnIgnoredFolder()
    {
        var readme = File.ReadAllText(Path.Combine(Root, "README.md"));
        var ignored = File.ReadAllLines(Path.Combine(Root, ".gitignore")).Select(l => l.Trim().Trim('/')).ToHashSet();
        var outs = Regex.Matches(readme, @"(?:synth-depth|train age|train depth)[^\n]*?--out (\S+)").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(outs);
        Assert.All(outs, o => Assert.Contains(o.Split('/')[0], ignored));
    }

    private static string[] DockerHealthcheck()
    {
        var dockerfile = File.ReadAllText(Path.Combine(Root, "Dockerfile")).Replace("\\\n", " ", StringComparison.Ordinal);
        var exec = Regex.Match(dockerfile, @"^HEALTHCHECK .*? CMD (\[.*\])\s*$", RegexOptions.Multiline).Groups[1].Value;
        return JsonSerializer.Deserialize<string[]>(exec)!;
    }

    private static async Task<int> RunAsync(string file, string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        await process.WaitForExitAsync();
        return process.ExitCode;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Dictionary<string, List<string>> IniSections(IEnumerable<string> lines)
    {
        var sections = new Dictionary<string, List<string>>();
        List<string>? current = null;
        foreach (var line in lines.Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            if (line.StartsWith('[')) sections[line.Trim('[', ']')] = current = [];
            else current?.Add(line.Split('=')[0]);
        }
        return sections;
    }
}
