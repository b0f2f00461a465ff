namespace ConR.Training.Engine;

// Derives independent seeds from a tuple with SplitMix64 steps, so that a random stream depends only on its
// coordinates (seed, epoch, sample, view) and never on which thread, or in what order, asked for it.
internal static class SeedMix
{
    public static int Mix(int seed, int epoch, int index, int view)
    {
        ulong h = Step((uint)seed);
        h = Step(h ^ (uint)epoch);
        h = Step(h ^ (uint)index);
        h = Step(h ^ (uint)view);
        return (int)(h >> 33);
    }

    private static ulong Step(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
