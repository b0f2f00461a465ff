using System.Globalization;
using ConR.Api.Errors;
using ConR.Api.Inference;
using ConR.Api.Onnx;
using ConR.Api.Options;
using ConR.Shared.ModelPackage;
using ConR.Shared.Preprocessing;

namespace ConR.Api.Models;

/// <summary>
/// What serving needs from a package, checked against the ONNX session: the card, the image spec to preprocess
/// with (only from the card, so training and serving cannot skew), the tensor layout, and the card's lookups.
/// </summary>
internal sealed class ModelProfile
{
    private ModelProfile(ModelCard card, ImageSpec imageSpec, TensorLayout layout, bool dynamicBatch)
    {
        Card = card;
        ImageSpec = imageSpec;
        Layout = layout;
        DynamicBatch = dynamicBatch;
        Lookup = new CardLookup(card);
    }

    public ModelCard Card { get; }

    public string Task => Card.Task;

    public ImageSpec ImageSpec { get; }

    public TensorLayout Layout { get; }

    public bool DynamicBatch { get; }

    public CardLookup Lookup { get; }

    /// <summary>Checks the card against the session's signature and the task the name is served for.</summary>
    /// <exception cref="ApiProblemException">422 naming every mismatch.</exception>
    public static ModelProfile Create(string name, ModelCard card, IInferenceBackend backend, InferenceOptions options)
    {
        var problems = new List<string>();
        if (name == options.AgeModel && card.Task != ModelTasks.Age)
        {
            problems.Add($"'{name}' serves /v1/age, but the card's task is '{card.Task}'");
        }

        if (name == options.DepthModel && card.Task != ModelTasks.Depth)
        {
            problems.Add($"'{name}' serves /v1/depth, but the card's task is '{card.Task}'");
        }

        foreach (var (mix, calibration) in card.Calibration.Present())
        {
            if (!calibration.Table.Options.Levels.Any(l => Math.Abs(l - InferenceOptions.DefaultLevel) < 1e-12))
            {
                problems.Add($"the {mix} calibration has no level {InferenceOptions.DefaultLevel.ToString(CultureInfo.InvariantCulture)}, the default the API answers with");
            }
        }

        ImageSpec? spec = null;
        try
        {
            spec = card.Input.ToImageSpec();
        }
        catch (ArgumentException ex)
        {
            problems.Add($"input: {ex.Message}");
        }

        var dynamicBatch = CheckInput(card, backend, problems);
        var outputItemDims = CheckOutput(card, backend, problems);
        if (problems.Count > 0)
        {
            throw Problems.Unprocessable($"Model '{name}' does not match its card: {string.Join("; ", problems)}.");
        }

        var layout = new TensorLayout(card.Input.Name, [3, card.Input.Height, card.Input.Width], card.Outputs[0].Name, outputItemDims!);
        return new ModelProfile(card, spec!, layout, dynamicBatch);
    }

    private static bool CheckInput(ModelCard card, IInferenceBackend backend, List<string> problems)
    {
        if (backend.Inputs.Count != 1)
        {
            problems.Add($"the ONNX graph has {backend.Inputs.Count} inputs ({string.Join(", ", backend.Inputs.Select(i => i.Name))}); one image input is supported");
        }

        var input = backend.Inputs.FirstOrDefault(i => i.Name == card.Input.Name);
        if (input is null)
        {
            problems.Add($"the ONNX graph has no input '{card.Input.Name}' (it has {string.Join(", ", backend.Inputs.Select(i => i.Name))})");
            return false;
        }

        if (input.ElementType != "float32")
        {
            problems.Add($"input '{input.Name}' is {input.ElementType}, not float32");
        }

        long[] expected = [-1, 3, card.Input.Height, card.Input.Width];
        var dims = input.Dimensions;
        if (dims.Count != 4 || dims.Skip(1).Zip(expected.Skip(1)).Any(p => p.First != -1 && p.First != p.Second) || dims[0] is 0 or < -1 or > 1)
        {
            problems.Add($"input '{input.Name}' has shape [{string.Join(", ", dims)}]; the card needs [N, 3, {card.Input.Height}, {card.Input.Width}]");
            return false;
        }

        return dims[0] == -1 && card.Input.DynamicBatch;
    }

    private static long[]? CheckOutput(ModelCard card, IInferenceBackend backend, List<string> problems)
    {
        var spec = card.Outputs[0];
        var output = backend.Outputs.FirstOrDefault(o => o.Name == spec.Name);
        if (output is null)
        {
            problems.Add($"the ONNX graph has no output '{spec.Name}' (it has {string.Join(", ", backend.Outputs.Select(o => o.Name))})");
            return null;
        }

        if (output.ElementType != "float32")
        {
            problems.Add($"output '{output.Name}' is {output.ElementType}, not float32");
        }

        var itemDims = spec.Shape.Skip(1).Select(d => (long)d).ToArray();
        var graphDims = output.Dimensions;
        if (itemDims.Any(d => d < 1) || graphDims.Count != spec.Shape.Count
            || graphDims.Skip(1).Zip(itemDims).Any(p => p.First != -1 && p.First != p.Second))
        {
            problems.Add($"output '{output.Name}' has shape [{string.Join(", ", graphDims)}]; the card says [{string.Join(", ", spec.Shape)}] (only the batch may be dynamic)");
            return null;
        }

        var expected = card.Task == ModelTasks.Age ? "[N, 1]" : "[N, 1, H, W]";
        var fits = card.Task == ModelTasks.Age
            ? itemDims is [1]
            : itemDims is [1, > 0, > 0];
        if (!fits)
        {
            problems.Add($"a {card.Task} model's output must be {expected} (card: [{string.Join(", ", spec.Shape)}])");
            return null;
        }

        return itemDims;
    }
}
