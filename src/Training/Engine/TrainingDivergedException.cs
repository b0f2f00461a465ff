namespace ConR.Training.Engine;

/// <summary>The loss became NaN/infinite or exploded; the last good checkpoint is kept.</summary>
public sealed class TrainingDivergedException(string message) : Exception(message);
