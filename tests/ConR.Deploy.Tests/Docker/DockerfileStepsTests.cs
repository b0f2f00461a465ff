using ConR.Deploy.Tests.Support;
using ConR.Deploy.Tests.Support.Docker;

namespace ConR.Deploy.Tests.Docker;

/// <summary>The Docker stand-in's own rules, on small Dockerfiles that need no SDK (their stages are not .NET SDK images).</summary>
public sealed class DockerfileStepsTests : IDisposable
{
    private readonly DirectoryInfo scratch = Directory.CreateTempSubdirectory("conr-dockerfile-");

    private string Context => Path.Combine(scratch.FullName, "context");

    public void Dispose() => scratch.Delete(recursive: true);

    [Fact]
    public void Build_ACopyOfAMissingFile_FailsNamingIt()
    {
        Write("present.txt", "x");
        var error = Assert.Throws<DockerBuildException>(() => Build("FROM debian:12\nWORKDIR /src\nCOPY present.txt missing.txt ./\n"));

        Assert.Contains("\"missing.txt\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("line 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_ACopyOfAFileDockerignoreLeavesOut_Fails()
    {
        Write("app/settings.json", "{}");
        Write(".dockerignore", "*\n!app/\napp/settings.json\n");

        var error = Assert.Throws<DockerBuildException>(() => Build("FROM debian:12\nCOPY app/settings.json /etc/app/\n"));
        Assert.Contains("app/settings.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_CopiesIntoWorkdir_FromEarlierStages_AndMapsEnvPaths()
    {
        Write("a/one.txt", "1");
        Write("b.txt", "2");
        var image = Build("""
            ARG BASE=debian:12
            FROM ${BASE} AS build
            WORKDIR /src
            COPY a/ a/
            COPY b.txt ./renamed.txt
            FROM ${BASE}
            WORKDIR /app
            COPY --from=build /src ./
            ENV DATA=/app/a PORT=8080 \
                OTHER="quoted value"
            USER 1654
            RUN apt-get install -y something
            ENTRYPOINT ["sh", "-c", "exec true"]
            """);

        Assert.Equal("1", File.ReadAllText(Path.Combine(image.WorkingDirectory, "a", "one.txt")));
        Assert.Equal("2", File.ReadAllText(Path.Combine(image.WorkingDirectory, "renamed.txt")));
        Assert.Equal(Path.Combine(image.RootFileSystem, "app") + "/a", image.Environment["DATA"]);
        Assert.Equal("8080", image.Environment["PORT"]);
        Assert.Equal("quoted value", image.Environment["OTHER"]);
        Assert.Equal("1654", image.User);
        Assert.Equal(["sh", "-c", "exec true"], image.Entrypoint);

        // Not an SDK stage: its RUN would install into the base image, so it is listed, not run.
        Assert.Contains("apt-get", Assert.Single(image.SkippedRuns).Arguments, StringComparison.Ordinal);
    }

    [Fact]
    public void RepositoryDockerfile_RestoresBeforeItCopiesTheSources_FromProjectFilesOnly()
    {
        var build = Dockerfile.Load(RepositoryRoot.Combine("Dockerfile")).Stages[0];
        var restore = build.Instructions.ToList().FindIndex(i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet restore", StringComparison.Ordinal));
        var copyAll = build.Instructions.ToList().FindIndex(i => i.Keyword == "COPY" && Dockerfile.Words(i.Arguments)[0] == ".");

        Assert.InRange(restore, 0, copyAll - 1);

        // Before the restore only build settings and project files come in, so a code change keeps the restore layer.
        var early = build.Instructions.Take(restore).Where(i => i.Keyword == "COPY").SelectMany(i => Dockerfile.Words(i.Arguments).SkipLast(1));
        Assert.All(early, source => Assert.Matches(@"(\.csproj|\.props|\.targets|global\.json|\.editorconfig|^build/)$", source));
    }

    private void Write(string relative, string text)
    {
        var path = Path.Combine(Context, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private BuiltImage Build(string dockerfile)
    {
        Directory.CreateDirectory(Context);
        var sent = Path.Combine(scratch.FullName, "sent");
        BuildContext.Copy(Context, sent);
        return new DockerBuild(Dockerfile.Parse(dockerfile), sent, Path.Combine(scratch.FullName, "stages"), _ => { }).Build();
    }
}
