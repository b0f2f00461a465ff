using ConR.Training.Depth.Data;

namespace ConR.Training.Tests.Depth.Data;

public class DepthAugmenterTests
{
    private sealed record Input(byte[] Rgb, int W, int H, float[] Depth);

    // Every pixel distinct and nothing symmetric, so flips and shifts show up.
    private static Input Fixture(int w, int h, int seed = 1)
    {
        var rng = new Random(seed);
        var rgb = new byte[w * h * 3];
        rng.NextBytes(rgb);
        var depth = new float[w * h];
        for (int i = 0; i < depth.Length; i++) depth[i] = 0.5f + (i * 0.01f);
        return new Input(rgb, w, h, depth);
    }

    private static (float[] Rgb, float[] Depth) Train(DepthAugmenter augmenter, Input input, Random rng)
    {
        var rgb = new float[augmenter.RgbLength];
        var depth = new float[augmenter.DepthLength];
        augmenter.Apply(input.Rgb, input.W, input.H, input.Depth, input.W, input.H, rng, rgb, depth);
        return (rgb, depth);
    }

    private static (float[] Rgb, float[] Depth) Eval(DepthAugmenter augmenter, Input input)
    {
        var rgb = new float[augmenter.RgbLength];
        var depth = new float[augmenter.EvalDepthLength];
        augmenter.ApplyEval(input.Rgb, input.W, input.H, input.Depth, input.W, input.H, rgb, depth);
        return (rgb, depth);
    }

    private static float[] Mirror(float[] planes, int width)
    {
        var result = new float[planes.Length];
        for (int row = 0; row < planes.Length / width; row++)
        {
            for (int x = 0; x < width; x++) result[(row * width) + x] = planes[(row * width) + width - 1 - x];
        }
        return result;
    }

    private static bool Close(float[] a, float[] b) => a.Zip(b).All(p => Math.Abs(p.First - p.Second) < 1e-4f);

    [Fact]
    public void ApplyEval_IdentityGeometry_IsTheNormalisedInput()
    {
        var input = Fixture(8, 6);
        var augmenter = new DepthAugmenter(8, 6, 4, 3, scaleShorterSide: 6);

        var (rgb, depth) = Eval(augmenter, input);

        Assert.Equal(input.Depth, depth);
        for (int i = 0; i < 8 * 6; i++)
        {
            for (int c = 0; c < 3; c++)
            {
                float expected = ((input.Rgb[(i * 3) + c] / 255f) - DepthAugmenter.ImageNetMean[c]) / DepthAugmenter.ImageNetStd[c];
                Assert.Equal(expected, rgb[(c * 48) + i], 4);
            }
        }
    }

    [Fact]
    public void ApplyEval_Nyud2_ScalesThenCropsTheCentre()
    {
        var input = Fixture(640, 480);
        var augmenter = DepthAugmenter.Nyud2();

        var (rgb, depth) = Eval(augmenter, input);

        Assert.Equal(3 * 304 * 228, rgb.Length);
        Assert.Equal(304 * 228, depth.Length);
        Assert.Equal((320, 240), augmenter.ScaledSize(640, 480));
        // Crop offset (8, 6) in the 320 x 240 image; output (0, 0) centres on source (17, 13) at 640 x 480.
        Assert.Equal(input.Depth[(13 * 640) + 17], depth[0]);
        Assert.Equal(input.Depth[(((2 * 227) + 13) * 640) + (2 * 303) + 17], depth[^1]);
        // Bilinear exactly between source pixels 16/17 and 12/13: the 2 x 2 mean.
        double red = (input.Rgb[((12 * 640) + 16) * 3] + input.Rgb[((12 * 640) + 17) * 3] + input.Rgb[((13 * 640) + 16) * 3] + input.Rgb[((13 * 640) + 17) * 3]) / 4.0 / 255.0;
        Assert.Equal((red - 0.485) / 0.229, rgb[0], 4);
    }

    [Fact]
    public void Apply_Flip_IsTheSameForImageAndDepth()
    {
        var input = Fixture(8, 6);
        var augmenter = new DepthAugmenter(8, 6, 8, 6, scaleShorterSide: 6, maxRotationDegrees: 0, jitter: 0, lightingStd: 0);
        var (plainRgb, plainDepth) = Eval(augmenter, input);
        var mirroredRgb = Mirror(plainRgb, 8);
        var mirroredDepth = Mirror(plainDepth, 8);
        int flipped = 0, kept = 0;

        for (int seed = 0; seed < 20; seed++)
        {
            var (rgb, depth) = Train(augmenter, input, new Random(seed));
            if (depth.SequenceEqual(mirroredDepth))
            {
                Assert.True(Close(rgb, mirroredRgb), $"seed {seed}: depth flipped but RGB not");
                flipped++;
            }
            else
            {
                Assert.Equal(plainDepth, depth);
                Assert.True(Close(rgb, plainRgb), $"seed {seed}: RGB flipped but depth not");
                kept++;
            }
        }

        Assert.True(flipped > 0 && kept > 0, $"{flipped} flipped, {kept} kept");
    }

    [Fact]
    public void Apply_Rotation_KeepsDepthWithinTheInputValues()
    {
        var input = Fixture(40, 30);
        var augmenter = new DepthAugmenter(40, 30, 20, 15, scaleShorterSide: 30);
        var allowed = input.Depth.Append(0f).ToHashSet();
        var (_, unrotated) = Train(new DepthAugmenter(40, 30, 20, 15, 30, maxRotationDegrees: 0), input, new Random(0));
        var unrotatedMirror = Mirror(unrotated, 20);
        int moved = 0;

        for (int seed = 0; seed < 10; seed++)
        {
            var (_, depth) = Train(augmenter, input, new Random(seed));
            Assert.All(depth, d => Assert.Contains(d, allowed));
            if (!depth.SequenceEqual(unrotated) && !depth.SequenceEqual(unrotatedMirror)) moved++;
        }

        Assert.True(moved > 0);
    }

    [Fact]
    public void Apply_ColourAugmentation_ChangesRgbOnly()
    {
        var input = Fixture(40, 30);
        var colour = new DepthAugmenter(40, 30, 20, 15, 30);
        var plain = new DepthAugmenter(40, 30, 20, 15, 30, jitter: 0, lightingStd: 0);

        var (colourRgb, colourDepth) = Train(colour, input, new Random(9));
        var (plainRgb, plainDepth) = Train(plain, input, new Random(9));

        Assert.Equal(plainDepth, colourDepth);
        Assert.False(Close(colourRgb, plainRgb));
        Assert.All(colourRgb, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Apply_SameSeedEpochIndex_IsDeterministic()
    {
        var input = Fixture(40, 30);
        var augmenter = new DepthAugmenter(32, 24, 16, 12, 28);

        var a = Train(augmenter, input, DepthAugmenter.RandomFor(7, 2, 5));
        var b = Train(augmenter, input, DepthAugmenter.RandomFor(7, 2, 5));
        var c = Train(augmenter, input, DepthAugmenter.RandomFor(7, 2, 6));
        var d = Train(augmenter, input, DepthAugmenter.RandomFor(7, 3, 5));

        Assert.Equal(a.Rgb, b.Rgb);
        Assert.Equal(a.Depth, b.Depth);
        Assert.NotEqual(a.Rgb, c.Rgb);
        Assert.NotEqual(a.Rgb, d.Rgb);
    }

    [Fact]
    public void Apply_DepthAtAnotherResolution_IsAddressedInTheSameView()
    {
        // Depth at half the RGB resolution, each depth pixel covering 2 x 2 RGB pixels.
        var input = Fixture(8, 6);
        var halfDepth = new float[4 * 3];
        for (int i = 0; i < halfDepth.Length; i++) halfDepth[i] = i + 1;
        var augmenter = new DepthAugmenter(8, 6, 4, 3, 6);
        var depth = new float[augmenter.EvalDepthLength];

        augmenter.ApplyEval(input.Rgb, 8, 6, halfDepth, 4, 3, new float[augmenter.RgbLength], depth);

        for (int y = 0; y < 6; y++)
        {
            for (int x = 0; x < 8; x++) Assert.Equal(halfDepth[((y / 2) * 4) + (x / 2)], depth[(y * 8) + x]);
        }
    }

    [Fact]
    public void Apply_WrongBufferLengths_Throw()
    {
        var input = Fixture(8, 6);
        var augmenter = new DepthAugmenter(8, 6, 4, 3, 6);

        Assert.Throws<ArgumentException>(() =>
            augmenter.Apply(input.Rgb, 8, 6, input.Depth, 8, 6, new Random(0), new float[augmenter.RgbLength], new float[augmenter.EvalDepthLength]));
        Assert.Throws<ArgumentException>(() =>
            augmenter.ApplyEval(input.Rgb, 8, 5, input.Depth, 8, 6, new float[augmenter.RgbLength], new float[augmenter.EvalDepthLength]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DepthAugmenter(8, 6, 4, 3, 6, maxRotationDegrees: -1));
    }
}
