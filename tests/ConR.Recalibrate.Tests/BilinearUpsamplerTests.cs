namespace ConR.Recalibrate.Tests;

public sealed class BilinearUpsamplerTests
{
    [Fact]
    public void HalfPixel_TwoByTwoToFourByFour_MatchesPyTorchsBilinearWithoutAlignedCorners()
    {
        // torch.nn.functional.interpolate(torch.tensor([[[[1., 2.], [3., 4.]]]]), size=(4, 4), mode="bilinear", align_corners=False)
        float[] expected =
        [
            1.00f, 1.25f, 1.75f, 2.00f,
            1.50f, 1.75f, 2.25f, 2.50f,
            2.50f, 2.75f, 3.25f, 3.50f,
            3.00f, 3.25f, 3.75f, 4.00f,
        ];

        Assert.Equal(expected, BilinearUpsampler.HalfPixel([1f, 2f, 3f, 4f], 2, 2, 4, 4));
    }

    [Fact]
    public void HalfPixel_SameSize_IsTheIdentity()
    {
        float[] map = [.. Enumerable.Range(0, 12).Select(i => (i * 0.37f) + 1)];

        Assert.Equal(map, BilinearUpsampler.HalfPixel(map, 3, 4, 3, 4));
    }
}
