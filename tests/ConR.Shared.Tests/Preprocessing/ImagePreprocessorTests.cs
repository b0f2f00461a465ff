using ConR.Shared.Preprocessing;
using SixLabors.ImageSharp.PixelFormats;

namespace ConR.Shared.Tests.Preprocessing;

public class ImagePreprocessorTests
{
    [Fact]
    public void Preprocess_Known2x2Image_GivesHandComputedValues()
    {
        using var image = new SixLabors.ImageSharp.Image<Rgb24>(2, 2);
        image[0, 0] = new Rgb24(0, 10, 20);
        image[1, 0] = new Rgb24(255, 128, 1);
        image[0, 1] = new Rgb24(7, 8, 9);
        image[1, 1] = new Rgb24(100, 200, 50);

        var chw = ImagePreprocessor.Preprocess(image, ImageSpec.Age(2));

        // (v / 255 - 0.5) / 0.5 = 2v / 255 - 1, planes R, G, B, each row-major (x fastest).
        double[] expected =
        [
            -1.0, 1.0, -0.9450980392, -0.2156862745,
            -0.9215686275, 0.0039215686, -0.9372549020, 0.5686274510,
            -0.8431372549, -0.9921568627, -0.9294117647, -0.6078431373,
        ];
        Assert.Equal(expected.Length, chw.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i], chw[i], 6);
    }

    [Fact]
    public void ToChw_ImageNetSpec_UsesPerChannelMeanAndStd()
    {
        var spec = new ImageSpec(1, 1, [0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]);
        var destination = new float[3];

        ImagePreprocessor.ToChw([51, 102, 204], spec, destination);

        Assert.Equal((0.2 - 0.485) / 0.229, destination[0], 5);
        Assert.Equal((0.4 - 0.456) / 0.224, destination[1], 5);
        Assert.Equal((0.8 - 0.406) / 0.225, destination[2], 5);
    }

    [Fact]
    public void ToChw_BytesAndImage_GiveIdenticalValues()
    {
        using var image = TestImages.Pattern(5, 3);
        var spec = new ImageSpec(5, 3, [0.1f, 0.2f, 0.3f], [0.4f, 0.5f, 0.6f]);
        var fromImage = new float[spec.TensorLength];
        var fromBytes = new float[spec.TensorLength];

        ImagePreprocessor.ToChw(image, spec, fromImage);
        ImagePreprocessor.ToChw(TestImages.Hwc(image), spec, fromBytes);

        Assert.Equal(fromImage, fromBytes);
        // Non-square: pixel (x=4, y=2), G channel lives at plane 1, row 2, column 4.
        Assert.Equal(((image[4, 2].G / 255f) - 0.2f) / 0.5f, fromImage[15 + (2 * 5) + 4]);
    }

    [Fact]
    public void Resize_NonSquareSpec_ReturnsNewImageOfSpecSize()
    {
        using var image = TestImages.Pattern(20, 10);

        using var resized = ImagePreprocessor.Resize(image, new ImageSpec(7, 4, [0f, 0f, 0f], [1f, 1f, 1f]));

        Assert.NotSame(image, resized);
        Assert.Equal((7, 4), (resized.Width, resized.Height));
        Assert.Equal((20, 10), (image.Width, image.Height));
    }

    [Fact]
    public void Resize_SolidColor_StaysExact()
    {
        using var image = new SixLabors.ImageSharp.Image<Rgb24>(30, 17, new Rgb24(12, 34, 56));

        using var resized = ImagePreprocessor.Resize(image, ImageSpec.Age(8));

        Assert.All(TestImages.Hwc(resized).Chunk(3), p => Assert.Equal([12, 34, 56], p));
    }

    [Fact]
    public void ToChw_ImageOfWrongSize_Throws()
    {
        using var image = TestImages.Pattern(4, 4);

        Assert.Throws<ArgumentException>(() => ImagePreprocessor.ToChw(image, ImageSpec.Age(3), new float[27]));
    }

    [Fact]
    public void ToChw_DestinationOfWrongLength_Throws()
    {
        Assert.Throws<ArgumentException>(() => ImagePreprocessor.ToChw(new byte[12], ImageSpec.Age(2), new float[11]));
    }
}
