using System.Globalization;
using System.Text;
using ConR.Shared.Metrics;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ConR.Recalibrate.Tests.Support;

/// <summary>
/// The schema-1 age fixture in a repository of its own, with a tiny face set (PNG images, <c>tiny.csv</c> as
/// <c>age,path,split</c>) whose val/test DIR tables the card states, as if the package had been exported from it.
/// </summary>
internal sealed class AgeWorkspace : IDisposable
{
    public const string CsvName = "tiny.csv";

    private readonly TempFolder folder = new();

    private AgeWorkspace()
    {
        Repository = folder.Path("models");
        Data = Directory.CreateDirectory(folder.Path("data")).FullName;
        Package = Packages.CopyFixture("age", Repository);
    }

    public string Repository { get; }

    public string Data { get; }

    /// <summary>Gets the folder of version 1.</summary>
    public string Package { get; }

    public string Next => Path.Combine(Repository, "age", "2");

    /// <summary>The workspace with <paramref name="perSplit"/> val and as many test faces, ages 1 to 60.</summary>
    public static AgeWorkspace Create(int perSplit = 60)
    {
        var workspace = new AgeWorkspace();
        workspace.WriteData(perSplit);
        return workspace;
    }

    public void Dispose() => folder.Dispose();

    private void WriteData(int perSplit)
    {
        var rng = new Random(3);
        var csv = new StringBuilder("age,path,split\n");
        var rows = new List<(double Age, string Path, string Split)>();
        Directory.CreateDirectory(Path.Combine(Data, "faces"));
        foreach (var split in new[] { "train", "val", "test" })
        {
            for (var i = 0; i < (split == "train" ? 10 : perSplit); i++)
            {
                var age = rng.Next(1, 61);
                var relative = $"faces/{split}-{i:D3}.png";
                WriteFace(Path.Combine(Data, relative), age, rng);
                csv.Append(CultureInfo.InvariantCulture, $"{age},{relative},{split}\n");
                rows.Add((age, Path.Combine(Data, relative), split));
            }
        }

        var csvPath = Path.Combine(Data, CsvName);
        File.WriteAllText(csvPath, csv.ToString());

        // The card describes this data: its val/test tables are those of the graph on these faces.
        var card = Packages.Card(Package);
        var spec = card.Input.ToImageSpec();
        DirTable Table(string split)
        {
            var selected = rows.Where(r => r.Split == split).ToList();
            var predictions = ReferenceModel.Run(Path.Combine(Package, "model.onnx"), spec, selected.Select(r => r.Path));
            return DirMetrics.Compute([.. predictions.Select(p => (double)p[0])], [.. selected.Select(r => r.Age)], card.TrainHistogram.ToLabelHistogram(), card.TrainHistogram.Thresholds);
        }

        var val = Table("val");
        var test = Table("test");
        Packages.Edit(Package, json =>
        {
            json["metrics"]!["val"] = Packages.ToJson(val);
            json["metrics"]!["test"] = Packages.ToJson(test);
            json["dataSet"]!["splitFile"] = CsvName;
            json["dataSet"]!["splitSha256"] = Packages.Sha256(csvPath);
        });
    }

    // A face-sized picture whose brightness follows the age, with noise, so predictions vary.
    private static void WriteFace(string path, int age, Random rng)
    {
        using var image = new Image<Rgb24>(24, 24);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    var v = Math.Clamp((age * 4) + rng.Next(-30, 31), 0, 255);
                    row[x] = new Rgb24((byte)v, (byte)((v + (x * 5)) % 256), (byte)((255 - v + (y * 3)) % 256));
                }
            }
        });
        image.SaveAsPng(path);
    }
}
