using System.Text.RegularExpressions;

namespace ConR.Deploy.Tests.Support.Docker;

/// <summary>Container paths and the folder that stands for a stage's '/'.</summary>
internal static class ContainerPaths
{
    // The first folders of the absolute container paths the Dockerfile names (WORKDIR, COPY destinations and --from
    // sources): RUN lines and ENV values that name them are pointed into the stage's folder.
    public static Regex Roots(Dockerfile dockerfile, IReadOnlyDictionary<string, string?> globals)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var instruction in dockerfile.Stages.SelectMany(s => s.Instructions))
        {
            IEnumerable<string> paths = instruction.Keyword switch
            {
                "WORKDIR" => [instruction.Arguments],
                "COPY" => Dockerfile.Words(instruction.Arguments) is var words && words.Any(w => w.StartsWith("--from=", StringComparison.Ordinal))
                    ? words.Where(w => !w.StartsWith("--", StringComparison.Ordinal))
                    : [Dockerfile.Words(instruction.Arguments)[^1]],
                _ => [],
            };
            foreach (var path in paths.Select(p => Dockerfile.Expand(p, globals)).Where(p => p.StartsWith('/')))
            {
                if (path.Split('/', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() is { } first)
                {
                    names.Add(first);
                }
            }
        }

        return new Regex($@"(?<![\w.~/-])/(?<first>{string.Join('|', names.Select(Regex.Escape))})(?=[/\s""';:]|$)", RegexOptions.CultureInvariant);
    }

    public static string MapPaths(string text, string root, Regex roots) =>
        roots.Replace(text, m => Path.Combine(root, m.Groups["first"].Value));

    public static string Resolve(string path, string workdir)
    {
        var full = path.StartsWith('/') ? path : workdir.TrimEnd('/') + "/" + path;
        var parts = new List<string>();
        foreach (var part in full.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }
            }
            else if (part != ".")
            {
                parts.Add(part);
            }
        }

        return "/" + string.Join('/', parts);
    }

    public static string Map(string root, string containerPath) => Path.Combine(root, containerPath.TrimStart('/'));
}
