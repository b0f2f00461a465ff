using ConR.Shared.Preprocessing;

namespace ConR.Shared.Tests.Preprocessing;

public class ImageSpecTests
{
    [Fact]
    public void Age_Size_HasHalfMeanAndStd()
    {
        var spec = ImageSpec.Age(64);

        Assert.Equal(64, spec.Width);
        Assert.Equal(64, spec.Height);
        Assert.Equal([0.5f, 0.5f, 0.5f], spec.Mean);
        Assert.Equal([0.5f, 0.5f, 0.5f], spec.Std);
        Assert.Equal(3 * 64 * 64, spec.TensorLength);
    }

    [Theory]
    [InlineData(0, 4, 0.5f, 0.5f)]
    [InlineData(4, -1, 0.5f, 0.5f)]
    [InlineData(4, 4, float.NaN, 0.5f)]
    [InlineData(4, 4, 0.5f, 0f)]
    [InlineData(4, 4, 0.5f, -1f)]
    public void Validate_InvalidValues_Throws(int width, int height, float mean, float std)
    {
        var spec = new ImageSpec(width, height, [mean, 0.5f, 0.5f], [std, 0.5f, 0.5f]);

        Assert.Throws<ArgumentException>(spec.Validate);
    }

    [Fact]
    public void Validate_TwoChannelMean_Throws()
    {
        var spec = new ImageSpec(4, 4, [0.5f, 0.5f], [0.5f, 0.5f, 0.5f]);

        Assert.Throws<ArgumentException>(spec.Validate);
    }
}
