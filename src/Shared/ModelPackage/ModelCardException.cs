namespace ConR.Shared.ModelPackage;

/// <summary>
/// A model card (model.json) that cannot be used. The message names the source and every problem found,
/// e.g. "model.json: missing input.mean, calibration.table.ranges".
/// </summary>
public sealed class ModelCardException : Exception
{
    /// <summary>Initializes a new instance with no problems listed.</summary>
    public ModelCardException()
        : this("The model card is invalid.")
    {
    }

    /// <summary>Initializes a new instance with no problems listed.</summary>
    public ModelCardException(string message)
        : this(message, innerException: null)
    {
    }

    /// <summary>Initializes a new instance with no problems listed.</summary>
    public ModelCardException(string message, Exception? innerException)
        : base(message, innerException)
    {
        SourceName = string.Empty;
        Problems = [];
    }

    /// <summary>Initializes a new instance; the message is "<paramref name="sourceName"/>: <paramref name="summary"/>".</summary>
    /// <param name="sourceName">Where the card came from, e.g. "model.json" or a package path.</param>
    /// <param name="summary">All problems in one line.</param>
    /// <param name="problems">The problems one by one.</param>
    /// <param name="innerException">The parser's exception, if any.</param>
    public ModelCardException(string sourceName, string summary, IReadOnlyList<string> problems, Exception? innerException = null)
        : base($"{sourceName}: {summary}", innerException)
    {
        SourceName = sourceName;
        Problems = problems;
    }

    /// <summary>Gets where the card came from.</summary>
    public string SourceName { get; }

    /// <summary>Gets the problems one by one, each naming its field by camelCase JSON path.</summary>
    public IReadOnlyList<string> Problems { get; }
}
