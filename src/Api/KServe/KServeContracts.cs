using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace ConR.Api.KServe;

// The Open Inference Protocol (KServe v2) REST messages this service speaks; field names as the protocol spells them.

/// <summary>GET /v2/health/live.</summary>
internal sealed record LiveResponse(bool Live);

/// <summary>GET /v2/health/ready.</summary>
internal sealed record ReadyResponse(bool Ready);

/// <summary>GET /v2/models/{name}/ready.</summary>
internal sealed record ModelReadyResponse(string Name, bool Ready);

/// <summary>GET /v2: server metadata.</summary>
internal sealed record ServerMetadata(string Name, string Version, IReadOnlyList<string> Extensions);

/// <summary>GET /v2/models/{name}: model metadata.</summary>
/// <param name="Name">The model name.</param>
/// <param name="Versions">The loaded version, as a string.</param>
/// <param name="Platform">"onnxruntime_onnx".</param>
/// <param name="Inputs">Input tensors; -1 marks a dynamic dimension.</param>
/// <param name="Outputs">Output tensors.</param>
internal sealed record ModelMetadata(string Name, IReadOnlyList<string> Versions, string Platform, IReadOnlyList<TensorMetadata> Inputs, IReadOnlyList<TensorMetadata> Outputs);

/// <summary>A tensor's name, datatype ("FP32") and shape.</summary>
internal sealed record TensorMetadata(string Name, string Datatype, IReadOnlyList<long> Shape);

/// <summary>POST /v2/models/{name}/infer.</summary>
/// <param name="Id">Echoed in the response.</param>
/// <param name="Parameters">Ignored.</param>
/// <param name="Inputs">Exactly one tensor: the card's input, FP32, shape [N, 3, H, W], data flat row-major (nested arrays are accepted too).</param>
/// <param name="Outputs">Optional: the outputs wanted (only the model's output exists).</param>
internal sealed record InferRequest(string? Id, JsonObject? Parameters, IReadOnlyList<InferInput>? Inputs, IReadOnlyList<RequestedOutput>? Outputs);

/// <summary>An input tensor.</summary>
internal sealed record InferInput(string? Name, IReadOnlyList<long>? Shape, string? Datatype, JsonObject? Parameters, JsonElement Data);

/// <summary>An output the client asks for.</summary>
internal sealed record RequestedOutput(string? Name, JsonObject? Parameters);

/// <summary>The inference response.</summary>
internal sealed record InferResponse(
    [property: JsonPropertyName("model_name")] string ModelName,
    [property: JsonPropertyName("model_version")] string ModelVersion,
    string? Id,
    IReadOnlyList<InferOutput> Outputs);

/// <summary>An output tensor: data flat row-major.</summary>
internal sealed record InferOutput(string Name, string Datatype, IReadOnlyList<long> Shape, float[] Data);
