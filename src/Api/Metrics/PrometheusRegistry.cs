using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace ConR.Api.Metrics;

/// <summary>
/// Counters, histograms and callback gauges written in the Prometheus text format (version 0.0.4). One registry per
/// host (a DI singleton), so test hosts never share series, unlike libraries with a process-wide default registry.
/// </summary>
internal sealed class PrometheusRegistry
{
    private readonly List<IMetricFamily> families = [];

    public Counter Counter(string name, string help, params string[] labelNames) => Add(new Counter(name, help, labelNames));

    public Histogram Histogram(string name, string help, double[] buckets, params string[] labelNames) =>
        Add(new Histogram(name, help, buckets, labelNames));

    /// <summary>A gauge whose samples (label values, value) are read from <paramref name="observe"/> at every scrape.</summary>
    public void Gauge(string name, string help, string[] labelNames, Func<IEnumerable<(string[] Labels, double Value)>> observe) =>
        Add(new CallbackGauge(name, help, labelNames, observe));

    public void WriteTo(StringBuilder text)
    {
        lock (families)
        {
            foreach (var family in families)
            {
                text.Append("# HELP ").Append(family.Name).Append(' ').Append(family.Help).Append('\n');
                text.Append("# TYPE ").Append(family.Name).Append(' ').Append(family.Type).Append('\n');
                family.WriteSamples(text);
            }
        }
    }

    private T Add<T>(T family)
        where T : IMetricFamily
    {
        lock (families)
        {
            families.Add(family);
        }

        return family;
    }

    internal static void AppendLabels(StringBuilder text, string[] names, string[] values, string? extraName = null, string? extraValue = null)
    {
        if (names.Length == 0 && extraName is null)
        {
            return;
        }

        text.Append('{');
        for (var i = 0; i < names.Length; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            text.Append(names[i]).Append("=\"");
            Escape(text, values[i]);
            text.Append('"');
        }

        if (extraName is not null)
        {
            text.Append(names.Length > 0 ? "," : string.Empty).Append(extraName).Append("=\"").Append(extraValue).Append('"');
        }

        text.Append('}');
    }

    internal static string Format(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : double.IsNaN(value) ? "NaN"
        : value.ToString("R", CultureInfo.InvariantCulture);

    private static void Escape(StringBuilder text, string value)
    {
        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => text.Append(@"\\"),
                '"' => text.Append("\\\""),
                '\n' => text.Append("\\n"),
                _ => text.Append(c),
            };
        }
    }
}

internal interface IMetricFamily
{
    string Name { get; }

    string Help { get; }

    string Type { get; }

    void WriteSamples(StringBuilder text);
}

/// <summary>A monotonically increasing count per label set.</summary>
internal sealed class Counter(string name, string help, string[] labelNames) : IMetricFamily
{
    private readonly ConcurrentDictionary<string, Child> children = new(StringComparer.Ordinal);

    public string Name => name;

    public string Help => help;

    public string Type => "counter";

    public void Increment(params string[] labels) => Add(1, labels);

    public void Add(long amount, params string[] labels)
    {
        var child = children.GetOrAdd(Key(labels), static (_, values) => new Child(values), labels);
        Interlocked.Add(ref child.Value, amount);
    }

    public long Value(params string[] labels) => children.TryGetValue(Key(labels), out var child) ? Interlocked.Read(ref child.Value) : 0;

    public void WriteSamples(StringBuilder text)
    {
        foreach (var child in children.Values.OrderBy(c => Key(c.Labels), StringComparer.Ordinal))
        {
            text.Append(name);
            PrometheusRegistry.AppendLabels(text, labelNames, child.Labels);
            text.Append(' ').Append(Interlocked.Read(ref child.Value).ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
    }

    private static string Key(string[] labels) => string.Join('\u001f', labels);

    private sealed class Child(string[] labels)
    {
        public long Value;

        public string[] Labels { get; } = [.. labels];
    }
}

/// <summary>Observations counted into cumulative buckets per label set, with their sum and count.</summary>
internal sealed class Histogram(string name, string help, double[] buckets, string[] labelNames) : IMetricFamily
{
    private readonly ConcurrentDictionary<string, Child> children = new(StringComparer.Ordinal);

    public string Name => name;

    public string Help => help;

    public string Type => "histogram";

    public void Observe(double value, params string[] labels)
    {
        var child = children.GetOrAdd(string.Join('\u001f', labels), static (_, state) => new Child(state.labels, state.buckets.Length), (labels, buckets));
        var index = Array.BinarySearch(buckets, value);
        index = index >= 0 ? index : ~index;
        Interlocked.Increment(ref child.Buckets[index]);
        lock (child)
        {
            child.Sum += value;
        }
    }

    /// <summary>The number of observations above <paramref name="threshold"/> (for tests and logs).</summary>
    public long CountAbove(double threshold, params string[] labels)
    {
        if (!children.TryGetValue(string.Join('\u001f', labels), out var child))
        {
            return 0;
        }

        long count = 0;
        for (var i = 0; i < child.Buckets.Length; i++)
        {
            var lower = i == 0 ? double.NegativeInfinity : buckets[i - 1];
            if (lower >= threshold)
            {
                count += Interlocked.Read(ref child.Buckets[i]);
            }
        }

        return count;
    }

    public void WriteSamples(StringBuilder text)
    {
        foreach (var (key, child) in children.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            _ = key;
            long cumulative = 0;
            for (var i = 0; i <= buckets.Length; i++)
            {
                cumulative += Interlocked.Read(ref child.Buckets[i]);
                text.Append(name).Append("_bucket");
                var le = i < buckets.Length ? PrometheusRegistry.Format(buckets[i]) : "+Inf";
                PrometheusRegistry.AppendLabels(text, labelNames, child.Labels, "le", le);
                text.Append(' ').Append(cumulative.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }

            double sum;
            lock (child)
            {
                sum = child.Sum;
            }

            text.Append(name).Append("_sum");
            PrometheusRegistry.AppendLabels(text, labelNames, child.Labels);
            text.Append(' ').Append(PrometheusRegistry.Format(sum)).Append('\n');
            text.Append(name).Append("_count");
            PrometheusRegistry.AppendLabels(text, labelNames, child.Labels);
            text.Append(' ').Append(cumulative.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
    }

    private sealed class Child(string[] labels, int bucketCount)
    {
        // One slot per finite bucket plus +Inf; counts per slot, made cumulative when written.
        public readonly long[] Buckets = new long[bucketCount + 1];

        public double Sum;

        public string[] Labels { get; } = [.. labels];
    }
}

/// <summary>A gauge read at scrape time (queue depth, loaded version).</summary>
internal sealed class CallbackGauge(string name, string help, string[] labelNames, Func<IEnumerable<(string[] Labels, double Value)>> observe) : IMetricFamily
{
    public string Name => name;

    public string Help => help;

    public string Type => "gauge";

    public void WriteSamples(StringBuilder text)
    {
        foreach (var (labels, value) in observe())
        {
            text.Append(name);
            PrometheusRegistry.AppendLabels(text, labelNames, labels);
            text.Append(' ').Append(PrometheusRegistry.Format(value)).Append('\n');
        }
    }
}
