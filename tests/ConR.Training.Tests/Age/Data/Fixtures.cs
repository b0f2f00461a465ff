using ConR.Shared.Preprocessing;
using ConR.Training.Age.Data;

namespace ConR.Training.Tests.Age.Data;

internal static class Fixtures
{
    // A store of random images; sample i has label i.
    public static ImageStore RandomStore(int count, int size, int seed = 7)
    {
        var rng = new Random(seed);
        var samples = new List<DirSample>();
        var pixels = new List<byte[]>();
        for (int i = 0; i < count; i++)
        {
            var bytes = new byte[size * size * ImageSpec.Channels];
            rng.NextBytes(bytes);
            pixels.Add(bytes);
            samples.Add(new DirSample(i, $"/img/{i}.jpg", "train", i + 2));
        }
        return ImageStore.FromPixels(samples, pixels, size);
    }
}
