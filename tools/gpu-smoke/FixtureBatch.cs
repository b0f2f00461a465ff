using ConR.Api.Models;

namespace ConR.GpuSmoke;

/// <summary>
/// The images both providers run for the parity check: seeded pixels in [0, 1], normalised with the card's own mean and
/// standard deviation, so that the values have the range real preprocessed images have.
/// </summary>
internal static class FixtureBatch
{
    public const int Seed = 16;

    public static float[] Create(ModelProfile profile, int batch)
    {
        var spec = profile.ImageSpec;
        var plane = spec.Width * spec.Height;
        var input = new float[batch * profile.Layout.InputLength];
        var random = new Random(Seed);
        for (var i = 0; i < input.Length; i++)
        {
            var channel = i / plane % 3;
            input[i] = ((float)random.NextDouble() - spec.Mean[channel]) / spec.Std[channel];
        }

        return input;
    }
}
