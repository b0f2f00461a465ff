using ConR.Shared.Preprocessing;

namespace ConR.Shared.ModelPackage;

/// <summary>
/// The ONNX input tensor and how to make it from an image: the card form of <see cref="ImageSpec"/>.
/// </summary>
/// <param name="Name">The ONNX input name; <see cref="DefaultName"/>.</param>
/// <param name="ElementType">Tensor element type; only <see cref="SupportedElementType"/> is supported.</param>
/// <param name="Layout">Dimension order; only <see cref="SupportedLayout"/> is supported.</param>
/// <param name="ChannelOrder">Channel order; only <see cref="SupportedChannelOrder"/> is supported.</param>
/// <param name="Width">Input width W in pixels; &gt; 0.</param>
/// <param name="Height">Input height H in pixels; &gt; 0.</param>
/// <param name="Mean">Per-channel mean, R, G, B, in units of x / 255; 3 values.</param>
/// <param name="Std">Per-channel standard deviation, R, G, B; 3 positive values.</param>
/// <param name="ResizeRule">How an image becomes W×H; <see cref="StretchBilinear"/>: bilinear, aspect ratio not kept.</param>
/// <param name="ValueScale">How a pixel byte x becomes a tensor value; <see cref="StandardValueScale"/>.</param>
/// <param name="DynamicBatch">Whether the batch dimension N is dynamic (-1) rather than fixed at 1.</param>
public sealed record InputSpecCard(
    string Name,
    string ElementType,
    string Layout,
    string ChannelOrder,
    int Width,
    int Height,
    IReadOnlyList<float> Mean,
    IReadOnlyList<float> Std,
    string ResizeRule,
    string ValueScale,
    bool DynamicBatch)
{
    /// <summary>"image".</summary>
    public const string DefaultName = "image";

    /// <summary>"float32", the only element type supported.</summary>
    public const string SupportedElementType = "float32";

    /// <summary>"NCHW", the only layout supported.</summary>
    public const string SupportedLayout = "NCHW";

    /// <summary>"RGB", the only channel order supported.</summary>
    public const string SupportedChannelOrder = "RGB";

    /// <summary>"stretch-bilinear": what <see cref="ImagePreprocessor"/> does.</summary>
    public const string StretchBilinear = "stretch-bilinear";

    /// <summary>"x/255 then (x-mean)/std".</summary>
    public const string StandardValueScale = "x/255 then (x-mean)/std";

    /// <summary>The card of an <see cref="ImageSpec"/>, with the fixed values this code base produces.</summary>
    public static InputSpecCard FromImageSpec(ImageSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        return new InputSpecCard(
            DefaultName,
            SupportedElementType,
            SupportedLayout,
            SupportedChannelOrder,
            spec.Width,
            spec.Height,
            [.. spec.Mean],
            [.. spec.Std],
            StretchBilinear,
            StandardValueScale,
            DynamicBatch: true);
    }

    /// <summary>The <see cref="ImageSpec"/> to preprocess requests with.</summary>
    /// <exception cref="ArgumentException">The size, mean or std are unusable.</exception>
    public ImageSpec ToImageSpec()
    {
        var spec = new ImageSpec(Width, Height, [.. Mean], [.. Std]);
        spec.Validate();
        return spec;
    }
}
