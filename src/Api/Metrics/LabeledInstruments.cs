using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ConR.Api.Metrics;

/// <summary>
/// A <see cref="Counter{T}"/> recorded with positional label values, as the call sites always did. The instrument is
/// the only place a count is recorded; the Prometheus <see cref="Counter"/> is filled by <see cref="ApiMetrics"/>'
/// listener, so /metrics and OpenTelemetry see the same measurements.
/// </summary>
internal sealed class LabeledCounter(Counter<long> instrument, Counter family, string[] labelNames)
{
    public Instrument Instrument => instrument;

    public void Increment(params string[] labels) => Add(1, labels);

    public void Add(long amount, params string[] labels) => instrument.Add(amount, InstrumentTags.From(labelNames, labels));

    /// <summary>The count so far for one label set, as /metrics writes it (for tests and tools).</summary>
    public long Value(params string[] labels) => family.Value(labels);

    internal void Receive(long amount, ReadOnlySpan<KeyValuePair<string, object?>> tags) => family.Add(amount, InstrumentTags.Values(labelNames, tags));
}

/// <summary>A <see cref="Histogram{T}"/> recorded with positional label values; see <see cref="LabeledCounter"/>.</summary>
internal sealed class LabeledHistogram<T>(Histogram<T> instrument, Histogram family, string[] labelNames)
    where T : struct, IConvertible
{
    public Instrument Instrument => instrument;

    public void Observe(T value, params string[] labels) => instrument.Record(value, InstrumentTags.From(labelNames, labels));

    /// <summary>The number of observations above <paramref name="threshold"/>, as /metrics counts them.</summary>
    public long CountAbove(double threshold, params string[] labels) => family.CountAbove(threshold, labels);

    internal void Receive(T value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        family.Observe(value.ToDouble(System.Globalization.CultureInfo.InvariantCulture), InstrumentTags.Values(labelNames, tags));
}

internal static class InstrumentTags
{
    // TagList keeps up to eight tags inline: no allocation per measurement beyond what the call site passes.
    public static TagList From(string[] names, string[] values)
    {
        var tags = default(TagList);
        for (var i = 0; i < names.Length; i++)
        {
            tags.Add(names[i], values[i]);
        }

        return tags;
    }

    // By name rather than position: a listener gets the tags as recorded, and names are what the families key on.
    public static string[] Values(string[] names, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var values = new string[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            values[i] = string.Empty;
            foreach (var tag in tags)
            {
                if (tag.Key == names[i])
                {
                    values[i] = tag.Value?.ToString() ?? string.Empty;
                    break;
                }
            }
        }

        return values;
    }
}
