using System.Reflection;

namespace ConR.Training.Export;

/// <summary>The commit the running binary was built from (stamped into the informational version at build time).</summary>
public static class BuildInfo
{
    public static string GitCommit
    {
        get
        {
            var version = typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
            var plus = version?.IndexOf('+', StringComparison.Ordinal) ?? -1;
            return plus >= 0 && version!.Length > plus + 1 ? version[(plus + 1)..] : "unknown";
        }
    }
}
