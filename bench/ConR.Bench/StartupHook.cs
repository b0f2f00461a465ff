using System.Globalization;
using System.Runtime;

#pragma warning disable CA1050 // The runtime looks for a type named StartupHook in no namespace.
#pragma warning disable CA1515 // ... and public, with public static void Initialize().

/// <summary>
/// Loaded into the separate ConR.Api process of the idle-memory probe (DOTNET_STARTUP_HOOKS) and nowhere else: a
/// background thread that, when the bench creates the file "gc-request" in CONR_BENCH_PROBE_DIR, runs a full
/// compacting GC and writes the GC heap size to "gc-result". It touches nothing of the API.
/// </summary>
public static class StartupHook
{
    public const string DirectoryVariable = "CONR_BENCH_PROBE_DIR";

    public static void Initialize()
    {
        var directory = Environment.GetEnvironmentVariable(DirectoryVariable);
        if (string.IsNullOrEmpty(directory))
        {
            return;
        }

        new Thread(() => Watch(directory)) { IsBackground = true, Name = "conr-bench-gc-probe" }.Start();
    }

    private static void Watch(string directory)
    {
        var request = Path.Combine(directory, "gc-request");
        var result = Path.Combine(directory, "gc-result");
        while (true)
        {
            Thread.Sleep(100);
            if (!File.Exists(request))
            {
                continue;
            }

            File.Delete(request);
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            var info = GC.GetGCMemoryInfo(GCKind.Any);
            var lines = string.Join('\n',
                "heapSizeBytes=" + info.HeapSizeBytes.ToString(CultureInfo.InvariantCulture),
                "totalCommittedBytes=" + info.TotalCommittedBytes.ToString(CultureInfo.InvariantCulture),
                "totalMemory=" + GC.GetTotalMemory(false).ToString(CultureInfo.InvariantCulture),
                "isServerGC=" + GCSettings.IsServerGC.ToString(CultureInfo.InvariantCulture));
            File.WriteAllText(result + ".tmp", lines);
            File.Move(result + ".tmp", result, overwrite: true);
        }
    }
}
