namespace ConR.Deploy.Tests.Support;

/// <summary>The checkout the tests run from: the folder above the test binaries that holds ConR.Web.sln.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "ConR.Web.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No ConR.Web.sln above {AppContext.BaseDirectory}.");
    }
}
