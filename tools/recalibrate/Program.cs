namespace ConR.Recalibrate;

// Re-measures a package's intervals from its unchanged ONNX graph and writes the result as the next version
// (RecalibrateCommand); the exit code says whether a package was written. A named class, not top-level statements:
// the tests also reference the API, whose Program is the global one.
internal static class Program
{
    public static int Main(string[] args) => RecalibrateCommand.Run(args, Console.Out, Console.Error);
}
