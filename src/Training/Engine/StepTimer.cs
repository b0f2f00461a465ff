using System.Diagnostics;

namespace ConR.Training.Engine;

/// <summary>Times a training step the way every probe and benchmark here does: untimed warm-up steps first, then the mean.</summary>
public static class StepTimer
{
    /// <summary>Untimed steps first: libtorch picks and caches its kernels on the first calls.</summary>
    public const int WarmUpSteps = 2;

    /// <summary>Runs <paramref name="step"/> <see cref="WarmUpSteps"/> + <paramref name="steps"/> times; the mean milliseconds of the timed ones.</summary>
    public static double MillisecondsPerStep(int steps, Action step)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        var watch = new Stopwatch();
        for (int i = 0; i < steps + WarmUpSteps; i++)
        {
            if (i == WarmUpSteps) watch.Start();
            step();
        }

        return watch.Elapsed.TotalMilliseconds / steps;
    }
}
