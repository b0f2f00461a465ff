using ConR.Training.Encoder.Pretrained;


namespace ConR.Training.Tests.Encoder.Pretrained;

/// <summary>
/// A fact that needs the package's ResNet18.onnx. Restoring src/Training downloads it (PackageDownload), so it runs
/// wherever the solution was restored, CI included; it skips only when the file is absent, and says where it looked.
/// </summary>
public sealed class ImageNetWeightsFactAttribute : FactAttribute
{
    public ImageNetWeightsFactAttribute()
    {
        if (!File.Exists(ImageNetResNet18.DefaultPath))
            Skip = $"{ImageNetResNet18.DefaultPath} is absent: restore src/Training to download Microsoft.ML.DnnImageFeaturizer.ResNet18 0.24.0";
    }
}
