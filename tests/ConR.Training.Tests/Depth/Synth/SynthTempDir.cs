namespace ConR.Training.Tests.Depth.Synth;

// A scratch directory per test, removed on dispose; tests run in parallel, so none share one.
internal sealed class SynthTempDir : IDisposable
{
    public SynthTempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "conr-synth-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder must not fail a test.
        }
    }
}
