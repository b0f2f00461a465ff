namespace ConR.Shared.ModelPackage;

/// <summary>One ONNX output tensor.</summary>
/// <param name="Name">The ONNX output name, e.g. "age" or "depth".</param>
/// <param name="Shape">Dimensions, -1 for dynamic ones (the batch): [-1, 1] for age, [-1, 1, H, W] for depth.</param>
/// <param name="Units">Units of the values, e.g. "years" or "metres".</param>
public sealed record OutputSpecCard(string Name, IReadOnlyList<int> Shape, string Units);
