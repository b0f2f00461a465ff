using System.Text;
using System.Text.RegularExpressions;

namespace ConR.Deploy.Tests.Support.Docker;

/// <summary>
/// .dockerignore as Docker reads it (moby's patternmatcher): one pattern a line, '#' comments, paths cleaned and
/// relative to the context root; '*', '?' and '[...]' match within one path segment, '**' any number of segments;
/// a pattern that matches a parent folder matches everything under it; '!' lines re-include; the last matching line
/// decides.
/// </summary>
internal sealed class DockerIgnore
{
    private readonly List<Rule> rules;

    private DockerIgnore(List<Rule> rules) => this.rules = rules;

    public static DockerIgnore Parse(string text)
    {
        var rules = new List<Rule>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var exception = line.StartsWith('!');
            var pattern = Clean(exception ? line[1..].Trim() : line);
            if (pattern.Length > 0)
            {
                rules.Add(new Rule(pattern, exception, new Regex(ToRegex(pattern), RegexOptions.CultureInvariant)));
            }
        }

        return new DockerIgnore(rules);
    }

    public static DockerIgnore Load(string contextRoot)
    {
        var path = Path.Combine(contextRoot, ".dockerignore");
        return Parse(File.Exists(path) ? File.ReadAllText(path) : string.Empty);
    }

    /// <summary>Whether <paramref name="relativePath"/> ('/'-separated, relative to the context) is left out.</summary>
    public bool IsExcluded(string relativePath)
    {
        var parents = Parents(relativePath).ToList();
        var excluded = false;
        foreach (var rule in rules)
        {
            if (rule.Exception == !excluded)
            {
                continue;
            }

            if (parents.Any(rule.Regex.IsMatch))
            {
                excluded = !rule.Exception;
            }
        }

        return excluded;
    }

    /// <summary>
    /// Whether a folder that is itself excluded can be skipped whole: no '!' line could re-include anything under it.
    /// (Docker walks into such a folder only when an exception names something beneath it.)
    /// </summary>
    public bool CanSkipFolder(string relativeFolder) =>
        IsExcluded(relativeFolder)
        && !rules.Any(r => r.Exception && (r.Pattern.StartsWith(relativeFolder + "/", StringComparison.Ordinal) || r.Pattern.StartsWith("**", StringComparison.Ordinal) || LiteralPrefixCovers(r.Pattern, relativeFolder)));

    private static bool LiteralPrefixCovers(string pattern, string folder)
    {
        var wildcard = pattern.IndexOfAny(['*', '?', '[', '\\']);
        if (wildcard < 0)
        {
            return false;
        }

        var prefix = pattern[..wildcard];
        return folder.StartsWith(prefix, StringComparison.Ordinal) || prefix.StartsWith(folder + "/", StringComparison.Ordinal);
    }

    // A path and each of its parent folders: "a/b/c" -> "a", "a/b", "a/b/c".
    private static IEnumerable<string> Parents(string path)
    {
        for (var i = path.IndexOf('/', StringComparison.Ordinal); i >= 0; i = path.IndexOf('/', i + 1))
        {
            yield return path[..i];
        }

        yield return path;
    }

    // filepath.Clean, then the leading '/' dropped: "/src//Api/" -> "src/Api", "./a" -> "a".
    private static string Clean(string pattern)
    {
        var parts = new List<string>();
        foreach (var part in pattern.Split('/'))
        {
            if (part is "" or ".")
            {
                continue;
            }

            if (part == ".." && parts.Count > 0 && parts[^1] != "..")
            {
                parts.RemoveAt(parts.Count - 1);
            }
            else
            {
                parts.Add(part);
            }
        }

        return string.Join('/', parts);
    }

    private static string ToRegex(string pattern)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*' when i + 1 < pattern.Length && pattern[i + 1] == '*':
                    i++;
                    if (i + 1 < pattern.Length && pattern[i + 1] == '/')
                    {
                        // "**/" also matches no folder at all.
                        i++;
                        regex.Append("(.*/)?");
                    }
                    else
                    {
                        regex.Append(".*");
                    }

                    break;
                case '*':
                    regex.Append("[^/]*");
                    break;
                case '?':
                    regex.Append("[^/]");
                    break;
                case '[':
                    var end = pattern.IndexOf(']', i + 1);
                    if (end < 0)
                    {
                        throw new FormatException($".dockerignore: unclosed '[' in {pattern}");
                    }

                    var set = pattern[(i + 1)..end];
                    regex.Append('[').Append(set.StartsWith('^') || set.StartsWith('!') ? "^" + Regex.Escape(set[1..]) : Regex.Escape(set)).Append(']');
                    i = end;
                    break;
                case '\\' when i + 1 < pattern.Length:
                    regex.Append(Regex.Escape(pattern[++i].ToString()));
                    break;
                default:
                    regex.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        return regex.Append('$').ToString();
    }

    private sealed record Rule(string Pattern, bool Exception, Regex Regex);
}
