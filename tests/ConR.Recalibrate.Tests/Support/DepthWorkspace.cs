using System.Text;
using System.Text.Json.Nodes;
using ConR.Shared.Imbalance;
using ConR.Shared.Metrics;
using ConR.Shared.Metrics.Depth;
using ConR.Shared.ModelPackage;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ConR.Recalibrate.Tests.Support;

/// <summary>
/// The schema-1 depth fixture (32x24 in and out) in a repository of its own, with tiny scenes in the NYUD2-DIR layout
/// (<c>rgb/</c>, 16-bit <c>depth/</c> in mm, <c>synth_{train,val,test}.csv</c>) whose depth tables the card states,
/// as if the package had been exported from them; and independent scene sets to calibrate on.
/// </summary>
internal sealed class DepthWorkspace : IDisposable
{
    public const int MaskSeed = 666;
    private const int Width = 32, Height = 24;

    private readonly TempFolder folder = new();

    private DepthWorkspace()
    {
        Repository = folder.Path("models");
        Data = folder.Path("data");
        Package = Packages.CopyFixture("depth", Repository);
    }

    public string Repository { get; }

    public string Data { get; }

    public string Package { get; }

    public string Next => Path.Combine(Repository, "depth", "2");

    /// <param name="maskMinBinPixels">The balanced-mask floor the card's tables are scored with (1 = the official rule, not recorded, as in cards before the floor).</param>
    public static DepthWorkspace Create(long maskMinBinPixels = BalancedDepthMask.OfficialMinBinPixels)
    {
        var workspace = new DepthWorkspace();
        WriteScenes(workspace.Data, seed: 1, train: 8, val: 12, test: 12);
        workspace.DescribeData(maskMinBinPixels);
        return workspace;
    }

    /// <summary>Another scene set in <c>NAME/</c> of the workspace (train/val/test CSVs, like the generator writes).</summary>
    public string AddSceneSet(string name, int seed, int perSplit)
    {
        var target = folder.Path(name);
        WriteScenes(target, seed, perSplit, perSplit, perSplit);
        return target;
    }

    public void Dispose() => folder.Dispose();

    private static void WriteScenes(string root, int seed, int train, int val, int test)
    {
        Directory.CreateDirectory(Path.Combine(root, "rgb"));
        Directory.CreateDirectory(Path.Combine(root, "depth"));
        var rng = new Random(seed);
        var index = 0;
        foreach (var (split, count) in new[] { ("train", train), ("val", val), ("test", test) })
        {
            var csv = new StringBuilder();
            for (var i = 0; i < count; i++, index++)
            {
                var name = $"{index:D5}.png";
                WriteScene(Path.Combine(root, "rgb", name), Path.Combine(root, "depth", name), rng);
                csv.Append("rgb/").Append(name).Append(",depth/").Append(name).Append('\n');
            }

            File.WriteAllText(Path.Combine(root, $"synth_{split}.csv"), csv.ToString());
        }
    }

    // A room-like ramp: depth grows towards the top of the image, the colour darkens with depth, plus noise.
    private static void WriteScene(string rgbPath, string depthPath, Random rng)
    {
        var near = 0.8 + (rng.NextDouble() * 2);
        var far = near + 0.5 + (rng.NextDouble() * 4);
        var depth = new L16[Width * Height];
        using var rgb = new Image<Rgb24>(Width, Height);
        rgb.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < Width; x++)
                {
                    var metres = far - ((far - near) * y / (Height - 1)) + (rng.NextDouble() * 0.1);
                    depth[(y * Width) + x] = new L16((ushort)Math.Round(metres * 1000));
                    var shade = (byte)Math.Clamp(255 - (metres * 40) + rng.Next(-10, 11), 0, 255);
                    row[x] = new Rgb24(shade, (byte)((shade + (x * 3)) % 256), (byte)(shade / 2));
                }
            }
        });
        rgb.SaveAsPng(rgbPath);
        using var map = Image.LoadPixelData<L16>(depth, Width, Height);
        map.SaveAsPng(depthPath, new SixLabors.ImageSharp.Formats.Png.PngEncoder { BitDepth = SixLabors.ImageSharp.Formats.Png.PngBitDepth.Bit16, ColorType = SixLabors.ImageSharp.Formats.Png.PngColorType.Grayscale });
    }

    // The card describes this data: split digest, CSV names, mask seed and the four depth tables of the graph on it.
    private void DescribeData(long maskMinBinPixels)
    {
        var card = Packages.Card(Package);
        var spec = card.Input.ToImageSpec();
        var bins = new LabelBins(card.TrainHistogram.BinWidth, card.TrainHistogram.Counts.Count, card.TrainHistogram.Start);
        Shot[] shots = [.. card.TrainHistogram.Shots.Select(ShotLabels.Parse)];
        (DepthDirTable All, DepthDirTable Balanced) Tables(string split)
        {
            var rows = File.ReadAllLines(Path.Combine(Data, $"synth_{split}.csv")).Select(l => l.Split(',')).ToList();
            var predictions = ReferenceModel.Run(Path.Combine(Package, "model.onnx"), spec, rows.Select(r => Path.Combine(Data, r[0])));
            var truth = rows.Select(r => ReadMetres(Path.Combine(Data, r[1]))).ToArray();
            var mask = BalancedDepthMask.Build(truth, bins, 7, MaskSeed, maskMinBinPixels).Mask;
            var all = new DepthMetricsAccumulator(bins, shots);
            var balanced = new DepthMetricsAccumulator(bins, shots);
            for (var i = 0; i < truth.Length; i++)
            {
                all.Add(predictions[i], truth[i], []);
                balanced.Add(predictions[i], truth[i], mask.AsSpan(i * truth[i].Length, truth[i].Length));
            }

            return (all.Result(), balanced.Result());
        }

        var val = Tables("val");
        var test = Tables("test");
        Packages.Edit(Package, json =>
        {
            json["dataSet"]!["splitFile"] = "synth_train.csv";
            json["dataSet"]!["splitSha256"] = Packages.Sha256(Path.Combine(Data, "synth_train.csv"));
            var raw = json["training"]!["rawConfig"]!.AsObject();
            raw["valCsv"] = Path.Combine("/elsewhere", "synth_val.csv");
            raw["testCsv"] = Path.Combine("/elsewhere", "synth_test.csv");
            raw["maskSeed"] = MaskSeed;
            if (maskMinBinPixels != BalancedDepthMask.OfficialMinBinPixels)
            {
                raw["maskMinBinPixels"] = maskMinBinPixels;
            }

            json["metrics"]!["extra"] = new JsonObject
            {
                ["val"] = Packages.ToJson(val.Balanced),
                ["test"] = Packages.ToJson(test.Balanced),
                ["valAllPixels"] = Packages.ToJson(val.All),
                ["testAllPixels"] = Packages.ToJson(test.All),
            };
        });
    }

    private static float[] ReadMetres(string path)
    {
        using var image = Image.Load<L16>(path);
        var metres = new float[image.Width * image.Height];
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                metres[(y * image.Width) + x] = image[x, y].PackedValue / 1000f;
            }
        }

        return metres;
    }
}
