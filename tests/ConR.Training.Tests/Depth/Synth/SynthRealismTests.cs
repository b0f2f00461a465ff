using System.Text.Json;
using ConR.Training.Depth.Synth;

namespace ConR.Training.Tests.Depth.Synth;

/// <summary>
/// The generator's realism options: deterministic per seed, each one changes only what it is about (its own random
/// stream leaves the rest of the scene as the first generator drew it), and what it adds shows in the images.
/// </summary>
public sealed class SynthRealismTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int W = 64, H = 48, Scenes = 8, Seed = 4;

    [Fact]
    public void RenderScene_SameSeedIndexAndRealism_IdenticalBytes_DifferentFromTheFirstGenerator()
    {
        var a = SynthDepthGenerator.RenderScene(Seed, 3, W, H, SynthRealism.All);
        var b = SynthDepthGenerator.RenderScene(Seed, 3, W, H, SynthRealism.All);
        var first = SynthDepthGenerator.RenderScene(Seed, 3, W, H);

        Assert.Equal(a.Rgb, b.Rgb);
        Assert.Equal(a.Depth, b.Depth);
        Assert.NotEqual(first.Rgb, a.Rgb);
        Assert.NotEqual(first.Depth, a.Depth);
    }

    [Fact]
    public void RealismNone_IsTheFirstGenerator()
    {
        var none = SynthDepthGenerator.RenderScene(Seed, 3, W, H, SynthRealism.None);
        var first = SynthDepthGenerator.RenderScene(Seed, 3, W, H);

        Assert.Equal(first.Rgb, none.Rgb);
        Assert.Equal(first.Depth, none.Depth);
    }

    [Fact]
    public void Generate_WithRealism_OneVsTwoThreads_IdenticalFiles_AndTheSummaryRecordsTheGenerator()
    {
        using var dir = new SynthTempDir();
        var realism = SynthRealism.Parse("textures,lighting,objects") with { CameraHeight = new SynthRange(0.8, 1.2) };
        var one = new SynthDepthOptions(dir.Sub("one"), Count: 6, Width: 32, Height: 24, Seed: 5) { MaxDegreeOfParallelism = 1, Realism = realism };
        var two = one with { OutputDir = dir.Sub("two"), MaxDegreeOfParallelism = 2 };

        SynthDepthGenerator.Generate(one);
        SynthDepthGenerator.Generate(two);

        foreach (var file in Directory.GetFiles(one.OutputDir, "*.png", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(one.OutputDir, f)))
            Assert.Equal(File.ReadAllBytes(Path.Combine(one.OutputDir, file)), File.ReadAllBytes(Path.Combine(two.OutputDir, file)));
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(one.OutputDir, SynthDepthGenerator.SummaryJson)));
        var root = summary.RootElement;
        Assert.Equal(2, root.GetProperty("generator_version").GetInt32());
        var recorded = root.GetProperty("realism");
        Assert.True(recorded.GetProperty("textures").GetBoolean());
        Assert.True(recorded.GetProperty("lighting").GetBoolean());
        Assert.True(recorded.GetProperty("objects").GetBoolean());
        Assert.Equal([0.8, 1.2], recorded.GetProperty("camera_height_m").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal(JsonValueKind.Null, recorded.GetProperty("camera_pitch_deg").ValueKind);
    }

    [Fact]
    public void Generate_FirstGenerator_RecordsVersionOneAndNoOptions()
    {
        using var dir = new SynthTempDir();
        SynthDepthGenerator.Generate(new SynthDepthOptions(dir.Path, Count: 2, Width: 16, Height: 12, Seed: 1));

        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, SynthDepthGenerator.SummaryJson)));
        Assert.Equal(1, summary.RootElement.GetProperty("generator_version").GetInt32());
        var recorded = summary.RootElement.GetProperty("realism");
        Assert.False(recorded.GetProperty("textures").GetBoolean());
        Assert.Equal(JsonValueKind.Null, recorded.GetProperty("camera_height_m").ValueKind);
    }

    [Fact]
    public void Textures_LeaveTheDepthAsItWas_AndRaiseLocalVariation()
    {
        var textures = new SynthRealism { Textures = true };
        double plain = 0, textured = 0;
        for (int i = 0; i < Scenes; i++)
        {
            var first = SynthDepthGenerator.RenderScene(Seed, i, 128, 96);
            var scene = SynthDepthGenerator.RenderScene(Seed, i, 128, 96, textures);
            Assert.Equal(first.Depth, scene.Depth);
            plain += LocalVariation(first);
            textured += LocalVariation(scene);
        }

        output.WriteLine($"median 4x4 standard deviation over {Scenes} scenes: textured {textured / Scenes:F2}, first generator {plain / Scenes:F2} grey levels");
        Assert.True(textured > 1.15 * plain, $"median 4x4 standard deviation: textured {textured / Scenes:F2}, first generator {plain / Scenes:F2} grey levels");
    }

    [Fact]
    public void Lighting_LeavesTheDepthAsItWas_AndPutsLampsInEveryScene()
    {
        var lighting = new SynthRealism { Lighting = true };
        for (int i = 0; i < Scenes; i++)
        {
            var first = SynthDepthGenerator.RenderScene(Seed, i, W, H);
            var scene = SynthDepthGenerator.RenderScene(Seed, i, W, H, lighting);
            var description = SynthSceneSampler.Sample(Seed, i, lighting);

            Assert.Equal(first.Depth, scene.Depth);
            Assert.NotEqual(first.Rgb, scene.Rgb);
            Assert.NotEmpty(description.PointLights);
            Assert.Empty(SynthSceneSampler.Sample(Seed, i).PointLights);
        }
    }

    [Fact]
    public void Objects_OnlyAddThings_SoNoPixelGetsFarther_AndSomeGetNearer()
    {
        var objects = new SynthRealism { Objects = true };
        long nearer = 0, pixels = 0;
        for (int i = 0; i < Scenes; i++)
        {
            var first = SynthDepthGenerator.RenderScene(Seed, i, W, H);
            var scene = SynthDepthGenerator.RenderScene(Seed, i, W, H, objects);
            for (int p = 0; p < first.Depth.Length; p++)
            {
                Assert.True(scene.Depth[p] <= first.Depth[p], $"scene {i} pixel {p}: {scene.Depth[p]} m behind the first generator's {first.Depth[p]} m");
                if (scene.Depth[p] < first.Depth[p]) nearer++;
            }
            pixels += first.Depth.Length;

            // The first generator's pieces come first and unchanged; the new ones follow.
            var before = SynthSceneSampler.Sample(Seed, i);
            var after = SynthSceneSampler.Sample(Seed, i, objects);
            Assert.True(after.Primitives.Length > before.Primitives.Length, $"scene {i} has no added pieces");
            Assert.Equal(before.Primitives.Select(p => (p.Kind, p.Center, p.Half)), after.Primitives.Take(before.Primitives.Length).Select(p => (p.Kind, p.Center, p.Half)));
        }

        Assert.True(nearer > pixels / 50, $"{nearer} of {pixels} pixels show an added piece");
    }

    [Fact]
    public void CameraHeight_ScalesTheFloorDepth_InTheSameRoom()
    {
        // Same room and orientation (the camera stream replaces only height and pitch): a floor point seen through the
        // same pixel is exactly twice as far from a camera twice as high.
        int checkedScenes = 0;
        for (int i = 0; i < 12; i++)
        {
            var low = new SynthRealism { CameraHeight = new SynthRange(1.0, 1.0), CameraPitch = new SynthRange(-25, -25) };
            var high = low with { CameraHeight = new SynthRange(2.0, 2.0) };
            var (lowScene, lowCamera) = Render(i, low);
            var (highScene, highCamera) = Render(i, high);
            Assert.Equal(1.0, lowCamera.Position.Y);
            Assert.Equal(2.0, highCamera.Position.Y);
            int bottomCentre = ((H - 1) * W) + (W / 2);
            if (!OnFloor(lowCamera, lowScene, W / 2, H - 1) || !OnFloor(highCamera, highScene, W / 2, H - 1)) continue;
            Assert.Equal(2.0, highScene.Depth[bottomCentre] / lowScene.Depth[bottomCentre], 4);
            checkedScenes++;
        }

        Assert.True(checkedScenes >= 4, $"only {checkedScenes} scenes show the floor at the bottom centre from both heights");
    }

    [Fact]
    public void CameraPitch_MovesTheHorizonRow()
    {
        // On the floor 1/z is linear in the image row and vanishes at the horizon: the row where it vanishes, fitted
        // on the rendered depth of the centre column, must be where the camera's tilt puts the horizon.
        int checkedScenes = 0;
        for (int i = 0; i < 12; i++)
        {
            var rows = new List<double>();
            foreach (double pitch in new[] { -25.0, -10.0, 0.0 })
            {
                var realism = new SynthRealism { CameraHeight = new SynthRange(1.5, 1.5), CameraPitch = new SynthRange(pitch, pitch) };
                var (scene, camera) = Render(i, realism);
                if (FittedHorizonRow(scene, camera, W / 2) is not { } fitted) break;
                Assert.Equal(ExpectedHorizonRow(camera, W / 2), fitted, 1);
                rows.Add(fitted);
            }

            if (rows.Count < 3) continue;
            // Looking further down lifts the horizon up the image: f tan(15 deg) ~ 16 rows at this size, then ~10.
            Assert.True(rows[0] < rows[1] - 12 && rows[1] < rows[2] - 7, $"scene {i}: horizon rows {string.Join(", ", rows.Select(r => r.ToString("F1")))}");
            checkedScenes++;
        }

        Assert.True(checkedScenes >= 3, $"only {checkedScenes} scenes show enough floor at every pitch");
    }

    [Fact]
    public void CameraOption_SpreadsHeightsAndPitchesBeyondTheFirstGenerators()
    {
        var first = Enumerable.Range(0, 300).Select(i => SynthSceneSampler.Sample(Seed, i).Camera).ToList();
        var wide = Enumerable.Range(0, 300).Select(i => SynthSceneSampler.Sample(Seed, i, SynthRealism.Parse("camera")).Camera).ToList();

        Assert.InRange(first.Min(c => c.Position.Y), 1.0, 1.8);
        Assert.InRange(first.Max(c => c.Position.Y), 1.0, 1.8);
        Assert.True(wide.Min(c => c.Position.Y) < 0.7 && wide.Max(c => c.Position.Y) > 2.0, "heights should span 0.6-2.1 m");
        Assert.All(wide, c => Assert.InRange(c.Pitch * 180 / Math.PI, -30.000001, 10.000001));
        // Uniform over [-30, 10] degrees: a quarter below -20; the first generator's normal around -10: about a tenth.
        double steepWide = wide.Count(c => c.Pitch * 180 / Math.PI < -20) / 300.0;
        double steepFirst = first.Count(c => c.Pitch * 180 / Math.PI < -20) / 300.0;
        Assert.True(steepWide > 0.2 && steepFirst < 0.15, $"share looking down more than 20 degrees: {steepWide:P0} vs {steepFirst:P0}");
    }

    [Theory]
    [InlineData("none", false, false, false, false)]
    [InlineData("all", true, true, true, true)]
    [InlineData("Textures, camera", true, false, false, true)]
    [InlineData("lighting,objects", false, true, true, false)]
    public void Parse_ReadsNoneAllOrAList(string text, bool textures, bool lighting, bool objects, bool camera)
    {
        var realism = SynthRealism.Parse(text);

        Assert.Equal((textures, lighting, objects, camera), (realism.Textures, realism.Lighting, realism.Objects, realism.CameraHeight is not null && realism.CameraPitch is not null));
        Assert.Equal(text == "none" ? 1 : 2, realism.GeneratorVersion);
    }

    [Fact]
    public void Parse_AnUnknownOptionOrRange_IsRefused()
    {
        Assert.Contains("textures, lighting, objects, camera", Assert.Throws<FormatException>(() => SynthRealism.Parse("fog")).Message, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => SynthRange.Parse("2:1"));
        Assert.Throws<ArgumentOutOfRangeException>(() => (SynthRealism.None with { CameraHeight = new SynthRange(0.1, 1) }).Validate());
    }

    [Fact]
    public void Cli_RealismOptions_AreRecordedInTheSummary()
    {
        using var dir = new SynthTempDir();
        int code = CliInvocation.Run($"synth-depth --out {dir.Path} --count 2 --size 16x12 --realism lighting --camera-pitch -20:-5", out var error);

        Assert.Equal(0, code);
        Assert.Equal(string.Empty, error);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, SynthDepthGenerator.SummaryJson)));
        var recorded = summary.RootElement.GetProperty("realism");
        Assert.True(recorded.GetProperty("lighting").GetBoolean());
        Assert.Equal([-20.0, -5.0], recorded.GetProperty("camera_pitch_deg").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal(2, CliInvocation.Run($"synth-depth --out {dir.Sub("bad")} --count 2 --size 16x12 --realism fog", out var refused));
        Assert.Contains("fog", refused, StringComparison.Ordinal);
    }

    private static (SynthScene Scene, SynthCamera Camera) Render(int index, SynthRealism realism) =>
        (SynthDepthGenerator.RenderScene(Seed, index, W, H, realism), SynthSceneSampler.Sample(Seed, index, realism).Camera);

    // Whether the pixel sees the floor: its hit point, from the rendered depth along the camera's ray, is at y = 0.
    private static bool OnFloor(SynthCamera camera, SynthScene scene, int px, int py)
    {
        var point = camera.Position + (camera.Ray(px, py, W, H) * scene.Depth[(py * W) + px]);
        return Math.Abs(point.Y) < 1e-3;
    }

    private static double? FittedHorizonRow(SynthScene scene, SynthCamera camera, int column)
    {
        var floor = Enumerable.Range(0, H).Where(row => OnFloor(camera, scene, column, row)).ToList();
        if (floor.Count < 4) return null;
        // Least squares of 1/z against the row's centre; the horizon is where the line reaches 0.
        var xs = floor.Select(r => r + 0.5).ToArray();
        var ys = floor.Select(r => 1.0 / scene.Depth[(r * W) + column]).ToArray();
        double mx = xs.Average(), my = ys.Average();
        double slope = xs.Zip(ys, (x, y) => (x - mx) * (y - my)).Sum() / xs.Sum(x => (x - mx) * (x - mx));
        return mx - (my / slope) - 0.5;
    }

    // The row (pixel-centre coordinates) at which the ray through the column is horizontal.
    private static double ExpectedHorizonRow(SynthCamera camera, int column)
    {
        double tanV = camera.TanHalfFov * H / W;
        double x = ((((column + 0.5) / W) * 2) - 1) * camera.TanHalfFov;
        double y = -(camera.Forward.Y + (camera.Right.Y * x)) / camera.Up.Y;
        return (((1 - (y / tanV)) / 2) * H) - 0.5;
    }

    // The median over 4x4 blocks of the grey values' standard deviation: the texture of surfaces, not their edges
    // (a minority of blocks), and not the sensor noise alone (about 0.9 grey levels).
    private static double LocalVariation(SynthScene scene)
    {
        var deviations = new List<double>();
        for (int by = 0; by + 4 <= scene.Height; by += 4)
        {
            for (int bx = 0; bx + 4 <= scene.Width; bx += 4)
            {
                double sum = 0, squares = 0;
                for (int y = by; y < by + 4; y++)
                {
                    for (int x = bx; x < bx + 4; x++)
                    {
                        int o = ((y * scene.Width) + x) * 3;
                        double grey = (scene.Rgb[o] + scene.Rgb[o + 1] + scene.Rgb[o + 2]) / 3.0;
                        sum += grey;
                        squares += grey * grey;
                    }
                }
                deviations.Add(Math.Sqrt(Math.Max(0, (squares / 16) - ((sum / 16) * (sum / 16)))));
            }
        }

        deviations.Sort();
        return deviations[deviations.Count / 2];
    }
}
