using System.Text;
using ConR.Api.Metrics;

namespace ConR.Api.Tests.Metrics;

public sealed class PrometheusRegistryTests
{
    [Fact]
    public void Histogram_WritesCumulativeBucketsSumAndCount()
    {
        var registry = new PrometheusRegistry();
        var histogram = registry.Histogram("h", "help", [1, 2, 4], "model");
        foreach (var value in new[] { 0.5, 1, 1.5, 3, 9 })
        {
            histogram.Observe(value, "a");
        }

        var text = Write(registry);

        Assert.Contains("h_bucket{model=\"a\",le=\"1\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("h_bucket{model=\"a\",le=\"2\"} 3\n", text, StringComparison.Ordinal);
        Assert.Contains("h_bucket{model=\"a\",le=\"4\"} 4\n", text, StringComparison.Ordinal);
        Assert.Contains("h_bucket{model=\"a\",le=\"+Inf\"} 5\n", text, StringComparison.Ordinal);
        Assert.Contains("h_sum{model=\"a\"} 15\n", text, StringComparison.Ordinal);
        Assert.Contains("h_count{model=\"a\"} 5\n", text, StringComparison.Ordinal);
        Assert.Equal(2, histogram.CountAbove(2, "a"));
    }

    [Fact]
    public void Counter_EscapesLabelValues()
    {
        var registry = new PrometheusRegistry();
        registry.Counter("c_total", "help", "route").Add(3, "a\"b\\c\nd");

        Assert.Contains("c_total{route=\"a\\\"b\\\\c\\nd\"} 3\n", Write(registry), StringComparison.Ordinal);
    }

    private static string Write(PrometheusRegistry registry)
    {
        var text = new StringBuilder();
        registry.WriteTo(text);
        return text.ToString();
    }
}
