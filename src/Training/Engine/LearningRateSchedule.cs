namespace ConR.Training.Engine;

/// <summary>Learning rate as a pure function of the epoch, so a resumed run needs no scheduler state.</summary>
public static class LearningRateSchedule
{
    public static double At(string schedule, double baseRate, int epoch, int epochs) => schedule switch
    {
        "constant" => baseRate,
        // The official age schedule (x0.1 at epochs 60 and 80 of 120), scaled to the run length.
        "step" => baseRate * Math.Pow(0.1, (epoch >= epochs * 2 / 3 ? 1 : 0) + (epoch >= epochs * 5 / 6 ? 1 : 0)),
        "cosine" => baseRate * 0.5 * (1 + Math.Cos(Math.PI * epoch / epochs)),
        _ => throw new ArgumentOutOfRangeException(nameof(schedule), schedule, "unknown schedule"),
    };
}
