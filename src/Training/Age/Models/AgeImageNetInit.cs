using ConR.Shared.Preprocessing;
using ConR.Training.Encoder.Pretrained;

namespace ConR.Training.Age.Models;

/// <summary>
/// <c>train age --init imagenet-resnet18</c>: the ImageNet ResNet-18 (<see cref="ImageNetResNet18"/>) loaded into an
/// age model's encoder, its stem folded for the age input; the regressor keeps its fresh start.
/// </summary>
public static class AgeImageNetInit
{
    /// <summary>Refuses an age model whose shape is not the one the file holds, with the flags that fix it.</summary>
    public static void CheckSpec(ModelSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ImageNetResNet18.CheckShape(spec.Architecture, spec.Width, spec.ImageSize, "--img-size 64 and more", spec.ImageSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Reads <paramref name="path"/> and loads it into <paramref name="model"/>'s encoder for input normalised by
    /// <paramref name="spec"/> (<see cref="StemInputFolding"/>).
    /// </summary>
    /// <returns>The number of tensors loaded (110).</returns>
    public static int Import(AgeRegressor model, string path, ImageSpec spec)
    {
        ArgumentNullException.ThrowIfNull(model);
        CheckSpec(model.Spec);
        return ImageNetResNet18.Import(model.Encoder, ImageNetResNet18.ReadFile(path), spec);
    }

    /// <inheritdoc cref="Import(AgeRegressor, string, ImageSpec)"/>
    public static int Import(AgeRegressor model, IReadOnlyDictionary<string, OnnxTensor> initializers, ImageSpec spec)
    {
        ArgumentNullException.ThrowIfNull(model);
        CheckSpec(model.Spec);
        return ImageNetResNet18.Import(model.Encoder, initializers, spec);
    }
}
