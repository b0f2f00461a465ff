using ConR.Deploy.Tests.Support;
using ConR.Deploy.Tests.Support.Docker;

namespace ConR.Deploy.Tests.Docker;

public sealed class DockerIgnoreTests
{
    [Theory]
    [InlineData("a/b/c", true)]
    [InlineData("a/b/d", false)]
    [InlineData("a/x", true)]
    [InlineData("b", false)]
    public void IsExcluded_LastMatchingLineDecides_AndParentsMatch(string path, bool excluded)
    {
        var ignore = DockerIgnore.Parse("a\n!a/b\na/b/c\n");

        Assert.Equal(excluded, ignore.IsExcluded(path));
    }

    [Theory]
    [InlineData("bin/x.dll", true)]
    [InlineData("src/Api/bin/Release/x.dll", true)]
    [InlineData("src/binder.cs", false)]
    [InlineData("docs/a.md", true)]
    [InlineData("docs/a/b.md", false)]
    [InlineData("x.tmp", true)]
    [InlineData("d/x.tmp", false)]
    public void IsExcluded_StarStaysInASegment_DoubleStarSpansAny(string path, bool excluded)
    {
        var ignore = DockerIgnore.Parse("# comment\n**/bin/\ndocs/*.md\n*.tmp\n");

        Assert.Equal(excluded, ignore.IsExcluded(path));
    }

    [Theory]
    [InlineData("src/Api/Program.cs", false)]
    [InlineData("src/Shared/ConR.Shared.csproj", false)]
    [InlineData("models/age/1/model.onnx", false)]
    [InlineData("Directory.Packages.props", false)]
    [InlineData("src/Training/ConR.Training.csproj", true)]
    [InlineData("src/Api/bin/Release/net10.0/ConR.Api.dll", true)]
    [InlineData("src/Api/obj/project.assets.json", true)]
    [InlineData("tests/ConR.Api.Tests/ConR.Api.Tests.csproj", true)]
    [InlineData("README.md", true)]
    public void RepositoryDockerignore_LetsInOnlyWhatTheImageNeeds(string path, bool excluded)
    {
        var ignore = DockerIgnore.Load(RepositoryRoot.Path);

        Assert.Equal(excluded, ignore.IsExcluded(path));
    }

    [Fact]
    public void CanSkipFolder_OnlyWhereNoExceptionReachesBelow()
    {
        var ignore = DockerIgnore.Parse("*\n!src/Api/\n**/bin/\n");

        Assert.False(ignore.CanSkipFolder("src"));
        Assert.True(ignore.CanSkipFolder("src/Training"));
        Assert.True(ignore.CanSkipFolder("src/Api/bin"));
        Assert.False(ignore.CanSkipFolder("src/Api"));
    }
}
