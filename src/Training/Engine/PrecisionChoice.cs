namespace ConR.Training.Engine;

/// <summary>
/// Resolves --precision auto: bfloat16 only where this machine runs it faster than float32. Without native bf16
/// instructions (AVX-512 BF16 or AMX) libtorch emulates bf16 and a training step was measured 23x slower than fp32 on
/// an AVX2-only EPYC, so the CPU flags rule it out before anything is timed; with them, a short timed probe decides.
/// </summary>
public static class PrecisionChoice
{
    public const string Auto = "auto";

    /// <summary>bf16 must beat fp32 by this factor to be chosen (a tie is not worth the lost precision).</summary>
    public const double RequiredSpeedup = 1.1;

    /// <param name="requested">fp32, bf16 or auto.</param>
    /// <param name="onCpu">Whether training runs on the CPU (on CUDA, auto means fp32: the bf16 path is a CPU shadow).</param>
    /// <param name="cpuFlags">The flags line of /proc/cpuinfo, or null where there is none.</param>
    /// <param name="millisecondsPerStep">Times a few training steps: true for bf16, false for fp32.</param>
    /// <returns>The precision to train with and a sentence saying why.</returns>
    public static (string Precision, string Reason) Resolve(string requested, bool onCpu, string? cpuFlags, Func<bool, double> millisecondsPerStep)
    {
        ArgumentNullException.ThrowIfNull(millisecondsPerStep);
        if (requested != Auto) return (requested, $"--precision {requested} as given");
        if (!onCpu) return ("fp32", "auto on CUDA: fp32");
        if (!HasNativeBf16(cpuFlags))
            return ("fp32", "auto: this CPU has neither AVX-512 BF16 nor AMX, so bf16 would be emulated (measured 23x slower than fp32 elsewhere)");
        double fp32 = millisecondsPerStep(false);
        double bf16 = millisecondsPerStep(true);
        string timing = $"bf16 {bf16:F0} ms vs fp32 {fp32:F0} ms per step on this CPU";
        return bf16 * RequiredSpeedup < fp32 ? ("bf16", $"auto: {timing}") : ("fp32", $"auto: {timing} (bf16 must be {RequiredSpeedup}x faster)");
    }

    /// <summary>
    /// Resolves a run's --precision before its folder is opened, so that config.json records the choice: a resumed run
    /// keeps the precision it was started with (<paramref name="startedWith"/>), a new one is <see cref="Resolve"/>d.
    /// Logs one line saying what was chosen and why; fp32 and bf16 pass through silently.
    /// </summary>
    /// <param name="requested">fp32, bf16 or auto, as given.</param>
    /// <param name="startedWith">The resumed run's recorded precision; null for a new run. Read only for auto.</param>
    /// <param name="onCpu">Whether training runs on the CPU.</param>
    /// <param name="millisecondsPerStep">Times a few training steps of the run's network: true for bf16, false for fp32.</param>
    /// <param name="log">Where the choice and its reason are written.</param>
    public static string ForRun(string requested, Func<string?> startedWith, bool onCpu, Func<bool, double> millisecondsPerStep, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(startedWith);
        ArgumentNullException.ThrowIfNull(log);
        if (requested != Auto) return requested;
        if (startedWith() is { } saved)
        {
            log.WriteLine($"Precision: {saved} (auto: the run was started with {saved})");
            return saved;
        }

        var (precision, reason) = Resolve(Auto, onCpu, ReadCpuFlags(), millisecondsPerStep);
        log.WriteLine($"Precision: {precision} ({reason})");
        return precision;
    }

    /// <summary>Whether the flags name a native bfloat16 instruction set (avx512_bf16, amx_bf16).</summary>
    public static bool HasNativeBf16(string? cpuFlags) =>
        cpuFlags is not null && cpuFlags.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Any(f => f is "avx512_bf16" or "amx_bf16");

    /// <summary>The flags line of /proc/cpuinfo (Linux), or null.</summary>
    public static string? ReadCpuFlags()
    {
        const string path = "/proc/cpuinfo";
        if (!File.Exists(path)) return null;
        return File.ReadLines(path).FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal));
    }
}
