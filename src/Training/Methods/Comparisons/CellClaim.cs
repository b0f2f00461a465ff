namespace ConR.Training.Methods.Comparisons;

/// <summary>
/// An exclusive claim on one cell of a comparison, held while a process trains it, so that several `compare`
/// processes (lanes) over the same folder never train the same cell twice.
/// </summary>
/// <remarks>
/// The claim is a lock file under OUT/.claims opened with <see cref="FileShare.None"/> (an advisory lock on Unix):
/// the operating system drops it when the process ends, also when it is killed, so an interrupted cell can be
/// claimed and resumed by the next invocation. The files themselves stay; only their locks matter.
/// </remarks>
public sealed class CellClaim : IDisposable
{
    public const string Folder = ".claims";

    private readonly FileStream lockFile;

    private CellClaim(FileStream lockFile) => this.lockFile = lockFile;

    /// <summary>Claims <paramref name="cellName"/> in <paramref name="outDir"/>, or returns null when another process holds it.</summary>
    public static CellClaim? TryTake(string outDir, string cellName)
    {
        var folder = Path.Combine(outDir, Folder);
        Directory.CreateDirectory(folder);
        try
        {
            return new CellClaim(new FileStream(Path.Combine(folder, cellName + ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException)
        {
            return null;
        }
    }

    public void Dispose() => lockFile.Dispose();
}
