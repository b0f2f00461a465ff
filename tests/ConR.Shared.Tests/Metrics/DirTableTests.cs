using System.Text.Json;
using ConR.Shared.Metrics;

namespace ConR.Shared.Tests.Metrics;

public class DirTableTests
{
    private static readonly DirTable Table = new(
        new ErrorSummary(3, 2.345, 7.0, 1.5),
        new ErrorSummary(2, 1.0, 1.25, 0.999),
        new ErrorSummary(1, 5.0, 25.0, 5.0),
        ErrorSummary.Empty);

    [Fact]
    public void ToMarkdown_FormatsTwoDecimalsAndDashForEmpty()
    {
        var expected =
            "### AgeDB test\n\n" +
            "| Shot | n | MAE | MSE | GM |\n" +
            "|---|---:|---:|---:|---:|\n" +
            "| All | 3 | 2.35 | 7.00 | 1.50 |\n" +
            "| Many | 2 | 1.00 | 1.25 | 1.00 |\n" +
            "| Median | 1 | 5.00 | 25.00 | 5.00 |\n" +
            "| Few | 0 | - | - | - |\n";

        Assert.Equal(expected, Table.ToMarkdown("AgeDB test"));
    }

    [Fact]
    public void Serialize_EmptyGroup_WritesNullMetricsAndRoundTrips()
    {
        var json = JsonSerializer.Serialize(Table);

        using var document = JsonDocument.Parse(json);
        var few = document.RootElement.GetProperty("Few");
        Assert.Equal(0, few.GetProperty("Count").GetInt32());
        Assert.Equal(JsonValueKind.Null, few.GetProperty("Mae").ValueKind);
        Assert.Equal(JsonValueKind.Null, few.GetProperty("Gm").ValueKind);
        Assert.Equal(2.345, document.RootElement.GetProperty("All").GetProperty("Mae").GetDouble());

        var back = JsonSerializer.Deserialize<DirTable>(json);
        Assert.Equal(Table, back);
    }

    [Fact]
    public void Serialize_CamelCaseWebOptions_RoundTrips()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);

        var json = JsonSerializer.Serialize(Table, options);

        Assert.Contains("\"few\":{\"count\":0,\"mae\":null,\"mse\":null,\"gm\":null}", json, StringComparison.Ordinal);
        Assert.Equal(Table, JsonSerializer.Deserialize<DirTable>(json, options));
    }
}
