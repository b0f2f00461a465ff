namespace ConR.Deploy.Tests.Support.Docker;

/// <summary>
/// The build context Docker would send: the files of <c>source</c> that .dockerignore lets in, copied to
/// <c>destination</c> (modes kept, as Docker sends them). Folders nothing could be re-included from are skipped whole.
/// </summary>
internal static class BuildContext
{
    public static int Copy(string source, string destination)
    {
        var ignore = DockerIgnore.Load(source);
        Directory.CreateDirectory(destination);
        return CopyFolder(ignore, source, source, destination);
    }

    private static int CopyFolder(DockerIgnore ignore, string root, string folder, string destination)
    {
        var copied = 0;
        foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos())
        {
            var relative = Path.GetRelativePath(root, entry.FullName).Replace('\\', '/');
            if (entry.LinkTarget is not null)
            {
                // Docker sends a link as a link; none is expected in this repository's context.
                if (!ignore.IsExcluded(relative))
                {
                    throw new NotSupportedException($"The build context holds a symbolic link, {relative}; the test does not copy links.");
                }

                continue;
            }

            if (entry is DirectoryInfo dir)
            {
                if (relative == ".git" || ignore.CanSkipFolder(relative))
                {
                    continue;
                }

                copied += CopyFolder(ignore, root, dir.FullName, destination);
            }
            else if (!ignore.IsExcluded(relative))
            {
                var target = Path.Combine(destination, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(entry.FullName, target);
                copied++;
            }
        }

        return copied;
    }
}
