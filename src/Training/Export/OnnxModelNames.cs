namespace ConR.Training.Export;

/// <summary>
/// The names every exported model shares, whatever its task: the image input, the batch dimension and the producer.
/// The output is named by the task (<c>age</c>, <c>depth</c>).
/// </summary>
public static class OnnxModelNames
{
    /// <summary>The one input: the preprocessed image batch.</summary>
    public const string ImageInput = "image";

    /// <summary>The symbolic batch dimension of the input and the output.</summary>
    public const string BatchDimension = "N";

    /// <summary>The model's producer_name.</summary>
    public const string Producer = "ConR.Web";

    /// <summary>The model's producer_version: this assembly's version ("0" without one).</summary>
    public static string ProducerVersion() => typeof(OnnxModelNames).Assembly.GetName().Version?.ToString() ?? "0";
}
