using System.Runtime;

namespace ConR.Training.Engine;

/// <summary>
/// Keeps the garbage collector out of one training step.
/// </summary>
/// <remarks>
/// TorchSharp 0.107 turns numbers into <c>Scalar</c> objects (BatchNorm's <c>num_batches_tracked.add_(1)</c>, Adam's
/// <c>mul_(beta1)</c>, every <c>tensor * 0.5</c>) that it neither disposes nor keeps alive across the native call that
/// reads them (dotnet/TorchSharp PR 1434, open). A collection started by another thread during that call lets the
/// finalizer thread free the Scalar while libtorch still reads it: the grid rerun of session 8 met "Unknown scalar type"
/// and "For integral input tensors, argument alpha must not be a floating point number" twice in one run. With no
/// collection inside a step, the Scalars that die in it are finalized after the next step's window opens, when no
/// native call can still read them. Opening the window collects first, so a step starts with an empty young heap.
/// One window at a time per process: a second training in the same process (parallel tests) runs without one.
/// </remarks>
internal sealed class CollectionFreeStep : IDisposable
{
    /// <summary>What a step may allocate (all threads together) before the collector runs anyway; far above one batch.</summary>
    internal const long Budget = 192L * 1024 * 1024;

    private static int held;
    private static long opened;
    private static long overrun;

    private bool holding;

    private CollectionFreeStep(bool holding) => this.holding = holding;

    /// <summary>Gets how many windows were opened in this process.</summary>
    internal static long Opened => Interlocked.Read(ref opened);

    /// <summary>Gets how many windows a collection ended early (a step allocated more than <see cref="Budget"/>).</summary>
    internal static long Overrun => Interlocked.Read(ref overrun);

    /// <summary>Opens the window; without one (another holds it, or the runtime refuses) the step runs as before.</summary>
    public static CollectionFreeStep Open()
    {
        if (Interlocked.CompareExchange(ref held, 1, 0) != 0) return new CollectionFreeStep(holding: false);
        bool started;
        try
        {
            started = GC.TryStartNoGCRegion(Budget);
        }
        catch (InvalidOperationException)
        {
            started = false; // already in a no-GC region (not ours)
        }
        if (!started)
        {
            Volatile.Write(ref held, 0);
            return new CollectionFreeStep(holding: false);
        }
        Interlocked.Increment(ref opened);
        return new CollectionFreeStep(holding: true);
    }

    public void Dispose()
    {
        if (!holding) return;
        holding = false;
        if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion)
        {
            try
            {
                GC.EndNoGCRegion();
            }
            catch (InvalidOperationException)
            {
                Interlocked.Increment(ref overrun); // the budget ran out between the check and the call
            }
        }
        else
        {
            Interlocked.Increment(ref overrun);
        }
        Volatile.Write(ref held, 0);
    }
}
