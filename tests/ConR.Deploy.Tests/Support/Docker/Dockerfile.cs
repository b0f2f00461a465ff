using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ConR.Deploy.Tests.Support.Docker;

/// <summary>One instruction, continuation lines joined, with the line it starts on.</summary>
internal sealed record DockerInstruction(string Keyword, string Arguments, int Line)
{
    public override string ToString() => $"line {Line}: {Keyword} {Arguments}";
}

/// <summary>A build stage: its base image (as written), its name (AS ...) and its instructions.</summary>
internal sealed record DockerStage(string From, string? Name, IReadOnlyList<DockerInstruction> Instructions);

/// <summary>
/// A Dockerfile read the way BuildKit reads it: '#' comment lines dropped (the '# syntax' directive too),
/// backslash-continued lines joined, the ARGs before the first FROM kept apart from the stages.
/// </summary>
internal sealed partial class Dockerfile
{
    private Dockerfile(IReadOnlyList<DockerInstruction> globalArgs, IReadOnlyList<DockerStage> stages)
    {
        GlobalArgs = globalArgs;
        Stages = stages;
    }

    public IReadOnlyList<DockerInstruction> GlobalArgs { get; }

    public IReadOnlyList<DockerStage> Stages { get; }

    public static Dockerfile Load(string path) => Parse(File.ReadAllText(path));

    public static Dockerfile Parse(string text)
    {
        var instructions = new List<DockerInstruction>();
        var pending = new StringBuilder();
        var start = 0;
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.TrimStart().StartsWith('#') || (pending.Length == 0 && line.Trim().Length == 0))
            {
                continue;
            }

            if (pending.Length == 0)
            {
                start = i + 1;
            }

            var trimmed = line.TrimEnd();
            if (trimmed.EndsWith('\\'))
            {
                pending.Append(trimmed[..^1]);
                continue;
            }

            pending.Append(line);
            var joined = pending.ToString().Trim();
            pending.Clear();
            var space = joined.IndexOfAny([' ', '\t']);
            instructions.Add(space < 0
                ? new DockerInstruction(joined.ToUpperInvariant(), string.Empty, start)
                : new DockerInstruction(joined[..space].ToUpperInvariant(), joined[(space + 1)..].Trim(), start));
        }

        var globalArgs = instructions.TakeWhile(i => i.Keyword != "FROM").ToList();
        if (globalArgs.FirstOrDefault(i => i.Keyword != "ARG") is { } stray)
        {
            throw new FormatException($"Dockerfile {stray}: only ARG may come before the first FROM.");
        }

        var stages = new List<DockerStage>();
        foreach (var instruction in instructions.Skip(globalArgs.Count))
        {
            if (instruction.Keyword == "FROM")
            {
                var parts = Words(instruction.Arguments).Where(w => !w.StartsWith("--", StringComparison.Ordinal)).ToList();
                var name = parts.Count >= 3 && parts[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? parts[2] : null;
                stages.Add(new DockerStage(parts[0], name, []));
            }
            else
            {
                var last = stages[^1];
                stages[^1] = last with { Instructions = [.. last.Instructions, instruction] };
            }
        }

        return new Dockerfile(globalArgs, stages);
    }

    /// <summary>The arguments as a list: the JSON form (["a", "b"]) or split on white space.</summary>
    public static IReadOnlyList<string> Words(string arguments) =>
        arguments.TrimStart().StartsWith('[')
            ? JsonSerializer.Deserialize<List<string>>(arguments) ?? []
            : arguments.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);

    /// <summary>ENV and ARG pairs: KEY=value (quotes removed) or the old one-pair form "KEY value".</summary>
    public static IReadOnlyList<KeyValuePair<string, string?>> Pairs(string arguments)
    {
        var pairs = new List<KeyValuePair<string, string?>>();
        var trimmed = arguments.Trim();
        var words = trimmed.Split([' ', '\t'], 2, StringSplitOptions.RemoveEmptyEntries);
        if (!words[0].Contains('=', StringComparison.Ordinal))
        {
            pairs.Add(KeyValuePair.Create(words[0], words.Length > 1 ? (string?)words[1].Trim() : null));
            return pairs;
        }

        foreach (Match match in PairPattern().Matches(arguments))
        {
            var value = match.Groups["value"].Value;
            if (value.Length >= 2 && value[0] is '"' or '\'' && value[^1] == value[0])
            {
                value = value[1..^1];
            }

            pairs.Add(KeyValuePair.Create(match.Groups["key"].Value, (string?)value));
        }

        return pairs;
    }

    /// <summary>$NAME, ${NAME} and ${NAME:-default} from <paramref name="variables"/>, as Docker expands them in COPY, WORKDIR, ENV and FROM.</summary>
    public static string Expand(string text, IReadOnlyDictionary<string, string?> variables) =>
        VariablePattern().Replace(text, match =>
        {
            var name = match.Groups["braced"].Success ? match.Groups["braced"].Value : match.Groups["plain"].Value;
            var value = variables.GetValueOrDefault(name);
            return match.Groups["default"].Success && string.IsNullOrEmpty(value) ? match.Groups["default"].Value : value ?? string.Empty;
        });

    [GeneratedRegex("""(?<key>[A-Za-z_][A-Za-z0-9_.-]*)=(?<value>"[^"]*"|'[^']*'|\S*)""")]
    private static partial Regex PairPattern();

    [GeneratedRegex(@"\$(?:\{(?<braced>[A-Za-z_][A-Za-z0-9_]*)(?::-(?<default>[^}]*))?\}|(?<plain>[A-Za-z_][A-Za-z0-9_]*))")]
    private static partial Regex VariablePattern();
}
