using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ConR.Shared.Metrics;
using ConR.Shared.Metrics.Depth;

namespace ConR.Recalibrate;

/// <summary>
/// The card's val and test metrics against the ones reproduced here from model.onnx. Sample counts must be equal;
/// error metrics equal within <see cref="RelativeTolerance"/> (ONNX Runtime and TorchSharp agree to ~1e-6 per
/// prediction, not bit for bit). Anything else means other data or other preprocessing: then the new calibration
/// would not describe the model the card describes, and nothing is written.
/// </summary>
internal sealed class ReproductionCheck
{
    /// <summary>Largest accepted |card − reproduced| / max(1, |card|) of an error metric.</summary>
    public const double RelativeTolerance = 1e-4;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly List<Row> rows = [];

    /// <summary>Gets the comparisons that failed, as "what: card X, reproduced Y".</summary>
    public IEnumerable<string> Failures => rows.Where(r => !r.Passed).Select(r => r.ToString());

    /// <summary>Gets the largest relative difference among the error metrics compared.</summary>
    public double MaxRelativeDifference => rows.Where(r => !r.Exact).Select(r => r.RelativeDifference).DefaultIfEmpty(0).Max();

    /// <summary>Gets the number of values compared.</summary>
    public int Compared => rows.Count;

    /// <summary>Age: count, MAE, MSE and GM overall and per shot.</summary>
    public void Add(string split, DirTable card, DirTable reproduced)
    {
        foreach (var (shot, expected, actual) in Groups(card.All, card.Many, card.Median, card.Few, reproduced.All, reproduced.Many, reproduced.Median, reproduced.Few))
        {
            Exact($"{split}.{shot}.count", expected.Count, actual.Count);
            Close($"{split}.{shot}.mae", expected.Mae, actual.Mae);
            Close($"{split}.{shot}.mse", expected.Mse, actual.Mse);
            Close($"{split}.{shot}.gm", expected.Gm, actual.Gm);
        }
    }

    /// <summary>Depth: pixels, RMSE, MAE, AbsRel and log10 overall and per shot (the δ fractions flip with one pixel, so they are not compared).</summary>
    public void Add(string table, DepthDirTable card, DepthDirTable reproduced)
    {
        foreach (var (shot, expected, actual) in Groups(card.All, card.Many, card.Median, card.Few, reproduced.All, reproduced.Many, reproduced.Median, reproduced.Few))
        {
            Exact($"{table}.{shot}.pixels", expected.Pixels, actual.Pixels);
            Close($"{table}.{shot}.rmse", expected.Rmse, actual.Rmse);
            Close($"{table}.{shot}.mae", expected.Mae, actual.Mae);
            Close($"{table}.{shot}.absRel", expected.AbsRel, actual.AbsRel);
            Close($"{table}.{shot}.log10", expected.Log10, actual.Log10);
        }
    }

    /// <summary>A depth table as the card's <c>metrics.extra</c> stores it, or null when the card has none of that name.</summary>
    public static DepthDirTable? DepthTable(JsonObject? extra, string name) =>
        extra?[name] is JsonObject table ? table.Deserialize<DepthDirTable>(Json) : null;

    /// <summary>One line per failure, or the summary.</summary>
    public string Describe() =>
        Failures.Any()
            ? string.Join(Environment.NewLine, Failures)
            : string.Create(CultureInfo.InvariantCulture, $"{Compared} values reproduced (largest relative difference {MaxRelativeDifference:E1}, tolerance {RelativeTolerance:E0})");

    private static IEnumerable<(string Shot, T Card, T Reproduced)> Groups<T>(T all, T many, T median, T few, T rAll, T rMany, T rMedian, T rFew) =>
        [("all", all, rAll), ("many", many, rMany), ("median", median, rMedian), ("few", few, rFew)];

    private void Exact(string name, long card, long reproduced) => rows.Add(new Row(name, card, reproduced, Exact: true));

    private void Close(string name, double card, double reproduced) => rows.Add(new Row(name, card, reproduced, Exact: false));

    private sealed record Row(string Name, double Card, double Reproduced, bool Exact)
    {
        public double RelativeDifference =>
            double.IsNaN(Card) && double.IsNaN(Reproduced) ? 0 : Math.Abs(Card - Reproduced) / Math.Max(1, Math.Abs(Card));

        public bool Passed => Exact ? Card == Reproduced : RelativeDifference <= RelativeTolerance;

        public override string ToString() =>
            string.Create(CultureInfo.InvariantCulture, $"{Name}: card {Card:R}, reproduced {Reproduced:R}");
    }
}
