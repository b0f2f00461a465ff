using ConR.Tests.Common;

namespace ConR.Deploy.Tests.Support;

/// <summary>The checkout the tests run from: the folder above the test binaries that holds ConR.Web.sln.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = SourceTree.Root();

    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);
}
