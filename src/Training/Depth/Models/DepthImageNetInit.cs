using ConR.Shared.Preprocessing;
using ConR.Training.Depth.Data;
using ConR.Training.Encoder.Pretrained;

namespace ConR.Training.Depth.Models;

/// <summary>
/// <c>train depth --init imagenet-resnet18</c>: the ImageNet ResNet-18 (<see cref="ImageNetResNet18"/>) loaded into a
/// depth model's encoder, its stem folded for the depth input (RGB, ImageNet mean and std); the decoder and head keep
/// their fresh start.
/// </summary>
public static class DepthImageNetInit
{
    /// <summary>Refuses a depth model the file does not fit, with the flags that fix it.</summary>
    public static void CheckSpec(DepthModelSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ImageNetResNet18.CheckShape(spec.Architecture, spec.Width, Math.Min(spec.ImageWidth, spec.ImageHeight),
            "an --img-size whose shorter side is 64 or more, e.g. 128x96", $"{spec.ImageWidth}x{spec.ImageHeight}");
    }

    /// <summary>Reads the package's file at <paramref name="path"/> and loads it; returns the number of tensors loaded (110).</summary>
    public static int Import(DepthNet model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        CheckSpec(model.Spec);
        return ImageNetResNet18.Import(model.Encoder, ImageNetResNet18.ReadFile(path), InputSpec(model.Spec));
    }

    /// <inheritdoc cref="Import(DepthNet, string)"/>
    public static int Import(DepthNet model, IReadOnlyDictionary<string, OnnxTensor> initializers)
    {
        ArgumentNullException.ThrowIfNull(model);
        CheckSpec(model.Spec);
        return ImageNetResNet18.Import(model.Encoder, initializers, InputSpec(model.Spec));
    }

    /// <summary>What the depth model is fed: the eval transform's size and ImageNet normalisation.</summary>
    public static ImageSpec InputSpec(DepthModelSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new ImageSpec(spec.ImageWidth, spec.ImageHeight, [.. DepthAugmenter.ImageNetMean], [.. DepthAugmenter.ImageNetStd]);
    }
}
