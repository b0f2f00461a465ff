using ConR.Shared.Imaging;

namespace ConR.Shared.Tests.Imaging;

public sealed class AnchorPaletteTests
{
    private static readonly AnchorPalette ThreeAnchors = new([(0, 0, 0), (100, 200, 50), (200, 0, 255)], noData: (1, 2, 3));

    [Fact]
    public void Anchors_AreHitExactlyAtEvenlySpacedPoints()
    {
        Assert.Equal(((byte)0, (byte)0, (byte)0), ThreeAnchors.Map(0f));
        Assert.Equal(((byte)100, (byte)200, (byte)50), ThreeAnchors.Map(0.5f));
        Assert.Equal(((byte)200, (byte)0, (byte)255), ThreeAnchors.Map(1f));
    }

    [Fact]
    public void BetweenAnchors_BlendsLinearlyAndRounds()
    {
        // t = 0.25 is halfway along the first segment; t = 0.875 three quarters along the second (50 + 0.75 * 205 = 203.75).
        Assert.Equal(((byte)50, (byte)100, (byte)25), ThreeAnchors.Map(0.25f));
        Assert.Equal(((byte)175, (byte)50, (byte)204), ThreeAnchors.Map(0.875f));
    }

    [Fact]
    public void OutOfRange_IsClampedAndNaNIsNoData()
    {
        Assert.Equal(ThreeAnchors.Map(0f), ThreeAnchors.Map(float.NegativeInfinity));
        Assert.Equal(ThreeAnchors.Map(1f), ThreeAnchors.Map(2f));
        Assert.Equal(((byte)1, (byte)2, (byte)3), ThreeAnchors.Map(float.NaN));
    }

    [Fact]
    public void FewerThanTwoAnchors_AreRefused()
    {
        Assert.Throws<ArgumentException>(() => new AnchorPalette([(9, 9, 9)], noData: (0, 0, 0)));
    }
}
