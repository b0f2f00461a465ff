namespace ConR.Training.Reporting;

/// <summary>Round tick values and tick label precision for the depth panel's colour bars.</summary>
internal static class ColourBarScale
{
    private static readonly double[] StepMantissas = [1, 2, 2.5, 5, 10];

    /// <summary>Tick values 0, step, 2·step … ≤ max with step 1, 2, 2.5 or 5 × 10^k, about five intervals.</summary>
    internal static IReadOnlyList<double> Ticks(double max)
    {
        var step = Step(max);
        var ticks = new List<double>();
        for (var k = 0; k * step <= max * (1 + 1e-9); k++)
        {
            ticks.Add(Math.Round(k * step, 10));
        }

        return ticks;
    }

    /// <summary>
    /// The top of a scale that shows <paramref name="value"/>: the first tick step multiple at or above it, so the bar
    /// ends on a labelled tick (0.73 → 0.8, 1.37 → 1.5). A value that is not positive and finite gives 1.
    /// </summary>
    internal static double Top(double value)
    {
        if (!(value > 0) || double.IsInfinity(value))
        {
            return 1;
        }

        var step = Step(value);
        return Math.Round(Math.Ceiling((value / step) - 1e-9) * step, 10);
    }

    /// <summary>Decimals that show every tick of <paramref name="ticks"/> exactly (0.25 needs two, 2.5 one).</summary>
    internal static int Decimals(IReadOnlyList<double> ticks)
    {
        if (ticks.Count < 2)
        {
            return 0;
        }

        var step = ticks[1] - ticks[0];
        var decimals = Math.Max(0, (int)Math.Ceiling(-Math.Log10(step) - 1e-9));
        var scaled = step * Math.Pow(10, decimals);
        return Math.Abs(Math.Round(scaled) - scaled) > 1e-6 ? decimals + 1 : decimals;
    }

    private static double Step(double max)
    {
        var raw = max / 5;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        return StepMantissas.Select(m => m * magnitude).First(s => s >= raw * (1 - 1e-9));
    }
}
