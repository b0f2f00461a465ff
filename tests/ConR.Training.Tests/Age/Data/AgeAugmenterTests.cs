using ConR.Shared.Preprocessing;
using ConR.Training.Age.Data;

namespace ConR.Training.Tests.Age.Data;

public class AgeAugmenterTests
{
    [Theory]
    [InlineData(224, 16)]
    [InlineData(112, 8)]
    [InlineData(96, 6)]
    [InlineData(64, 4)]
    [InlineData(32, 2)]
    [InlineData(8, 1)]
    [InlineData(1, 1)]
    public void DefaultPadding_Size_ScalesOfficialSixteenAt224Truncated(int size, int expected)
    {
        Assert.Equal(expected, AgeAugmenter.DefaultPadding(size));
    }

    [Theory]
    [InlineData(224, 16)]
    [InlineData(96, 7)]
    [InlineData(64, 5)]
    [InlineData(32, 2)]
    [InlineData(1, 1)]
    public void LegacyPadding_Size_ScalesOfficialSixteenAt224Rounded(int size, int expected)
    {
        Assert.Equal(expected, AgeAugmenter.LegacyPadding(size));
    }

    [Fact]
    public void Augment_RandomImage_FillsChwWithinUnitRange()
    {
        const int size = 16;
        var hwc = RandomHwc(size, 1);
        var output = new float[3 * size * size];
        output.AsSpan().Fill(float.NaN);

        new AgeAugmenter(size).Augment(hwc, output, new Random(5), ImageSpec.Age(size));

        Assert.All(output, v => Assert.InRange(v, -1f, 1f));
    }

    [Fact]
    public void Augment_ShiftedToTopLeft_PadsWithMinusOne()
    {
        const int size = 6, padding = 2;
        var white = Enumerable.Repeat((byte)255, size * size * 3).ToArray();
        var output = new float[3 * size * size];

        // top = 0, left = 0: the crop starts `padding` pixels above and left of the image; no flip.
        new AgeAugmenter(size, padding).Augment(white, output, new ScriptedRandom([0, 0], 0.9), ImageSpec.Age(size));

        for (int c = 0; c < 3; c++)
        {
            for (int y = 0; y < size; y++)
            {
                for (int x = 0; x < size; x++)
                {
                    float expected = y < padding || x < padding ? (0f - 0.5f) / 0.5f : 1f;
                    Assert.Equal(expected, output[(c * size * size) + (y * size) + x]);
                }
            }
        }
    }

    [Fact]
    public void Augment_CenteredCropWithFlip_MirrorsColumns()
    {
        const int size = 5, padding = 1;
        var hwc = RandomHwc(size, 2);
        var spec = ImageSpec.Age(size);
        var identity = new float[3 * size * size];
        ImagePreprocessor.ToChw(hwc, spec, identity);
        var plain = new float[identity.Length];
        var flipped = new float[identity.Length];
        var augmenter = new AgeAugmenter(size, padding);

        augmenter.Augment(hwc, plain, new ScriptedRandom([padding, padding], 0.7), spec);
        augmenter.Augment(hwc, flipped, new ScriptedRandom([padding, padding], 0.2), spec);

        Assert.Equal(identity, plain);
        for (int c = 0; c < 3; c++)
        {
            for (int y = 0; y < size; y++)
            {
                for (int x = 0; x < size; x++)
                {
                    int plane = c * size * size;
                    Assert.Equal(identity[plane + (y * size) + (size - 1 - x)], flipped[plane + (y * size) + x]);
                }
            }
        }
    }

    [Fact]
    public void Augment_SeededRandom_MatchesNaiveCropAndFlipInBothBranches()
    {
        const int size = 7, padding = 2;
        var hwc = RandomHwc(size, 3);
        var spec = ImageSpec.Age(size);
        var augmenter = new AgeAugmenter(size, padding);
        var branches = new HashSet<bool>();

        for (int seed = 0; seed < 20; seed++)
        {
            var output = new float[3 * size * size];
            augmenter.Augment(hwc, output, new Random(seed), spec);

            var replay = new Random(seed);
            int top = replay.Next((2 * padding) + 1), left = replay.Next((2 * padding) + 1);
            bool flip = replay.NextDouble() < 0.5;
            branches.Add(flip);
            Assert.Equal(NaiveAugment(hwc, size, padding, top, left, flip), output);
        }

        Assert.Equal(2, branches.Count);
    }

    [Fact]
    public void Augment_SpecOfOtherSize_Throws()
    {
        Assert.Throws<ArgumentException>(
            () => new AgeAugmenter(4).Augment(new byte[48], new float[48], new Random(0), ImageSpec.Age(5)));
    }

    // torchvision's order, one pixel at a time: pad with zeros, crop at (top, left), mirror, normalize.
    private static float[] NaiveAugment(byte[] hwc, int size, int padding, int top, int left, bool flip)
    {
        var output = new float[3 * size * size];
        for (int y = 0; y < size; y++)
        {
            for (int x = 0; x < size; x++)
            {
                int column = flip ? size - 1 - x : x;
                int sy = top + y - padding, sx = left + column - padding;
                bool inside = sy >= 0 && sy < size && sx >= 0 && sx < size;
                for (int c = 0; c < 3; c++)
                {
                    int value = inside ? hwc[(((sy * size) + sx) * 3) + c] : 0;
                    output[(c * size * size) + (y * size) + x] = ((value / 255f) - 0.5f) / 0.5f;
                }
            }
        }
        return output;
    }

    private static byte[] RandomHwc(int size, int seed)
    {
        var bytes = new byte[size * size * 3];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    // Returns the given Next values in order, then the given NextDouble value.
    private sealed class ScriptedRandom(int[] next, double nextDouble) : Random
    {
        private int position;

        public override int Next(int maxValue) => next[position++];

        public override double NextDouble() => nextDouble;
    }
}
