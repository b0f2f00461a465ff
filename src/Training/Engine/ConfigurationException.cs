namespace ConR.Training.Engine;

/// <summary>A user error in the command line or a run directory: printed without a stack trace.</summary>
public sealed class ConfigurationException(string message) : Exception(message);
