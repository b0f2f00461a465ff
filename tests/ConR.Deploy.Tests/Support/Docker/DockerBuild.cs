using System.Diagnostics;
using System.Text.RegularExpressions;

namespace ConR.Deploy.Tests.Support.Docker;

/// <summary>
/// Runs a Dockerfile's steps without a Docker engine. Each stage gets a folder that stands for its '/'; WORKDIR, COPY
/// (from the .dockerignore'd context or --from an earlier stage), ENV, ARG, USER, ENTRYPOINT and HEALTHCHECK act on it
/// as Docker's do. RUN lines of stages based on the .NET SDK image run here with this machine's SDK standing in for
/// the image's (absolute paths of the stage's folders are mapped into its folder); RUN lines on other bases install
/// OS packages into the base image and are listed as skipped. A COPY of something the context lacks fails as
/// <c>docker build</c> fails. Unknown instructions are refused by name rather than ignored.
/// </summary>
internal sealed class DockerBuild(Dockerfile dockerfile, string context, string workRoot, Action<string> log)
{
    private const string SdkImage = "mcr.microsoft.com/dotnet/sdk";
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(15);

    private readonly Dictionary<string, string> stageRoots = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> stageRootsByIndex = [];

    /// <summary>Overrides of ARG defaults, as --build-arg gives them.</summary>
    public Dictionary<string, string> BuildArgs { get; } = [];

    public BuiltImage Build()
    {
        var globals = new Dictionary<string, string?>();
        foreach (var (key, value) in dockerfile.GlobalArgs.SelectMany(a => Dockerfile.Pairs(a.Arguments)))
        {
            globals[key] = BuildArgs.TryGetValue(key, out var given) ? given : value;
        }

        var roots = ContainerPaths.Roots(dockerfile, globals);
        BuiltImage? image = null;
        for (var i = 0; i < dockerfile.Stages.Count; i++)
        {
            image = BuildStage(i, dockerfile.Stages[i], globals, roots);
        }

        return image ?? throw new DockerBuildException("The Dockerfile has no FROM.");
    }

    private BuiltImage BuildStage(int index, DockerStage stage, Dictionary<string, string?> globals, Regex roots)
    {
        var root = Path.Combine(workRoot, $"stage-{index}-{stage.Name ?? "unnamed"}");
        Directory.CreateDirectory(root);
        stageRootsByIndex.Add(root);
        if (stage.Name is not null)
        {
            stageRoots[stage.Name] = root;
        }

        var from = Dockerfile.Expand(stage.From, globals);
        log($"FROM {from} (stage {index}) -> {root}");
        var args = new Dictionary<string, string?>();
        var env = new Dictionary<string, string?>();
        var workdir = "/";
        string? user = null;
        IReadOnlyList<string> entrypoint = [];
        IReadOnlyList<string>? health = null;
        var exposed = new List<string>();
        var skipped = new List<DockerInstruction>();
        foreach (var instruction in stage.Instructions)
        {
            var variables = Merge(args, env);
            switch (instruction.Keyword)
            {
                case "ARG":
                    foreach (var (key, value) in Dockerfile.Pairs(instruction.Arguments))
                    {
                        args[key] = BuildArgs.TryGetValue(key, out var given) ? given : value ?? globals.GetValueOrDefault(key);
                    }

                    break;
                case "ENV":
                    foreach (var (key, value) in Dockerfile.Pairs(instruction.Arguments))
                    {
                        env[key] = Dockerfile.Expand(value ?? string.Empty, variables);
                    }

                    break;
                case "WORKDIR":
                    workdir = ContainerPaths.Resolve(Dockerfile.Expand(instruction.Arguments, variables), workdir);
                    Directory.CreateDirectory(ContainerPaths.Map(root, workdir));
                    break;
                case "COPY":
                    Copy(instruction, root, workdir, variables);
                    break;
                case "RUN" when from.StartsWith(SdkImage, StringComparison.Ordinal):
                    Run(instruction, root, workdir, Merge(args, env), roots);
                    break;
                case "RUN":
                    skipped.Add(instruction);
                    break;
                case "USER":
                    user = Dockerfile.Expand(instruction.Arguments, variables);
                    break;
                case "ENTRYPOINT":
                    entrypoint = Dockerfile.Words(instruction.Arguments);
                    break;
                case "HEALTHCHECK":
                    var cmd = instruction.Arguments.IndexOf("CMD ", StringComparison.Ordinal);
                    health = cmd < 0 ? null : Dockerfile.Words(instruction.Arguments[(cmd + 4)..]);
                    break;
                case "EXPOSE":
                    exposed.AddRange(Dockerfile.Words(Dockerfile.Expand(instruction.Arguments, variables)));
                    break;
                default:
                    throw new NotSupportedException($"Dockerfile {instruction}: the test's Docker stand-in does not implement {instruction.Keyword}; add it to DockerBuild.");
            }
        }

        var mappedEnv = env.ToDictionary(p => p.Key, p => p.Value is null ? null : ContainerPaths.MapPaths(p.Value, root, roots));
        return new BuiltImage(root, ContainerPaths.Map(root, workdir), mappedEnv, user, entrypoint, health, exposed, skipped);
    }

    private void Copy(DockerInstruction instruction, string root, string workdir, IReadOnlyDictionary<string, string?> variables)
    {
        var words = Dockerfile.Words(instruction.Arguments).Select(w => Dockerfile.Expand(w, variables)).ToList();
        var flags = words.Where(w => w.StartsWith("--", StringComparison.Ordinal)).ToList();
        var paths = words.Where(w => !w.StartsWith("--", StringComparison.Ordinal)).ToList();
        string? fromStage = null;
        foreach (var flag in flags)
        {
            if (flag.StartsWith("--from=", StringComparison.Ordinal))
            {
                fromStage = flag["--from=".Length..];
            }
            else if (flag != "--link")
            {
                throw new NotSupportedException($"Dockerfile {instruction}: COPY {flag} is not implemented by the test's Docker stand-in.");
            }
        }

        if (paths.Count < 2)
        {
            throw new DockerBuildException($"Dockerfile {instruction}: COPY needs a source and a destination.");
        }

        var destination = ContainerPaths.Resolve(paths[^1], workdir);
        var intoFolder = paths[^1].EndsWith('/') || paths[^1] is "." or "./" || paths.Count > 2;
        var mappedDestination = ContainerPaths.Map(root, destination);
        var sourceRoot = fromStage is null ? context : StageRoot(fromStage, instruction);
        foreach (var source in paths[..^1])
        {
            var relative = string.Join('/', source.Split('/').Where(p => p is not ("" or ".")));
            var hostSource = relative.Length == 0 ? sourceRoot : Path.Combine(sourceRoot, relative);
            if (relative.IndexOfAny(['*', '?', '[']) >= 0)
            {
                throw new NotSupportedException($"Dockerfile {instruction}: wildcards in COPY are not implemented by the test's Docker stand-in.");
            }

            if (Directory.Exists(hostSource))
            {
                CopyFolder(hostSource, mappedDestination);
            }
            else if (File.Exists(hostSource))
            {
                var target = intoFolder || Directory.Exists(mappedDestination) ? Path.Combine(mappedDestination, Path.GetFileName(hostSource)) : mappedDestination;
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(hostSource, target, overwrite: true);
            }
            else
            {
                throw new DockerBuildException(fromStage is null
                    ? $"Dockerfile {instruction}: \"{source}\" is not in the build context (missing from the repository, or left out by .dockerignore); docker build fails here with \"{source}\": not found."
                    : $"Dockerfile {instruction}: \"{source}\" does not exist in stage {fromStage}.");
            }
        }
    }

    private void Run(DockerInstruction instruction, string root, string workdir, IReadOnlyDictionary<string, string?> variables, Regex roots)
    {
        var start = new ProcessStartInfo { WorkingDirectory = ContainerPaths.Map(root, workdir) };
        if (instruction.Arguments.TrimStart().StartsWith('['))
        {
            var words = Dockerfile.Words(instruction.Arguments).Select(w => ContainerPaths.MapPaths(w, root, roots)).ToList();
            start.FileName = words[0];
            words.Skip(1).ToList().ForEach(start.ArgumentList.Add);
        }
        else
        {
            start.FileName = "/bin/sh";
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(ContainerPaths.MapPaths(instruction.Arguments, root, roots));
        }

        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            // Set for the test host by its own build; a fresh container has none of them.
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in variables)
        {
            start.Environment[key] = value ?? string.Empty;
        }

        // One-shot builds: leave no MSBuild node or compiler server running after the step, as a container would not.
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["UseSharedCompilation"] = "false";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        log($"RUN {start.ArgumentList.LastOrDefault()}");
        var watch = Stopwatch.StartNew();
        var result = Processes.Run(start, RunTimeout);
        log($"  exit {result.ExitCode} after {watch.Elapsed.TotalSeconds:F0} s");
        if (result.ExitCode != 0)
        {
            throw new DockerBuildException(result.Describe($"Dockerfile {instruction}"));
        }
    }

    private string StageRoot(string stage, DockerInstruction instruction) =>
        stageRoots.TryGetValue(stage, out var root) ? root
        : int.TryParse(stage, out var index) && index < stageRootsByIndex.Count ? stageRootsByIndex[index]
        : throw new DockerBuildException($"Dockerfile {instruction}: no earlier stage '{stage}'.");

    private static void CopyFolder(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var entry in new DirectoryInfo(source).EnumerateFileSystemInfos())
        {
            var target = Path.Combine(destination, entry.Name);
            if (entry is DirectoryInfo)
            {
                CopyFolder(entry.FullName, target);
            }
            else
            {
                File.Copy(entry.FullName, target, overwrite: true);
            }
        }
    }

    private static Dictionary<string, string?> Merge(Dictionary<string, string?> args, Dictionary<string, string?> env)
    {
        var merged = new Dictionary<string, string?>(args);
        foreach (var (key, value) in env)
        {
            merged[key] = value;
        }

        return merged;
    }
}
