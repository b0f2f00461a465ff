using System.Runtime.CompilerServices;

namespace ConR.Tests.Common;

/// <summary>The source tree (the folder holding ConR.Web.sln), for tests that read or write files of the repository.</summary>
internal static class SourceTree
{
    // Found from this file's compile-time path (the build output may live anywhere, e.g. under --artifacts-path),
    // else from the output or working folder.
    public static string Root([CallerFilePath] string sourceFile = "")
    {
        foreach (var start in new[] { Path.GetDirectoryName(sourceFile), AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "ConR.Web.sln"))) return dir.FullName;
            }
        }

        throw new InvalidOperationException($"ConR.Web.sln not found above {sourceFile} or {AppContext.BaseDirectory}.");
    }
}
