using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConR.Shared.Metrics;

/// <summary>
/// Writes NaN as JSON <c>null</c> and reads <c>null</c> back as NaN, so metrics of empty groups
/// stay valid JSON without changing the property type. Infinities are written as null too.
/// </summary>
public sealed class NanAsNullConverter : JsonConverter<double>
{
    /// <inheritdoc/>
    public override bool HandleNull => true;

    /// <inheritdoc/>
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
