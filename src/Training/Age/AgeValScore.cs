namespace ConR.Training.Age;

/// <summary>An age model's errors on val (years, eval transform): the best epoch has the lowest MAE.</summary>
public readonly record struct AgeValScore(double Mae, double Mse);
