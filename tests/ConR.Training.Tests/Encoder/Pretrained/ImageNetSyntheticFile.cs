using ConR.Training.Encoder.Pretrained;
using static TorchSharp.torch;

namespace ConR.Training.Tests.Encoder.Pretrained;

/// <summary>
/// A stand-in for the package's ResNet18.onnx: its 110 initializer names and shapes, each tensor a constant of its
/// own, so the importer's mapping can be checked without the 64 MB file (the importer's and the tasks' import tests).
/// </summary>
internal static class ImageNetSyntheticFile
{
    // Conv weight shapes in graph order, as read from the package's graph (../shared/docs/imagenet-resnet18.md).
    public static readonly long[][] ConvShapes =
    [
        [64, 3, 7, 7], [64, 64, 3, 3], [64, 64, 3, 3], [64, 64, 3, 3], [64, 64, 3, 3],
        [128, 64, 3, 3], [128, 128, 3, 3], [128, 64, 1, 1], [128, 128, 3, 3], [128, 128, 3, 3],
        [256, 128, 3, 3], [256, 256, 3, 3], [256, 128, 1, 1], [256, 256, 3, 3], [256, 256, 3, 3],
        [512, 256, 3, 3], [512, 512, 3, 3], [512, 256, 1, 1], [512, 512, 3, 3], [512, 512, 3, 3], [512, 512, 3, 3], [512, 512, 3, 3],
    ];

    /// <summary>The package's 110 names and shapes, each tensor filled with its own positive constant.</summary>
    public static Dictionary<string, OnnxTensor> Synthetic(out Dictionary<string, float> marks)
    {
        var tensors = new Dictionary<string, OnnxTensor>(StringComparer.Ordinal);
        marks = new Dictionary<string, float>(StringComparer.Ordinal);
        int k = 0;
        foreach (var (row, shape) in ImageNetResNet18.Table.Zip(ConvShapes))
        {
            foreach (var (name, dims) in new (string Name, long[] Dims)[] { (row.Conv, shape), (row.Scale, [shape[0]]), (row.B, [shape[0]]), (row.Mean, [shape[0]]), (row.Var, [shape[0]]) })
            {
                float mark = 0.001f * ++k;
                var values = new float[dims.Aggregate(1L, (a, d) => a * d)];
                Array.Fill(values, mark);
                tensors[name] = new OnnxTensor(dims, values);
                marks[name] = mark;
            }
        }
        return tensors;
    }

    /// <summary>The value of a tensor every element of which is the same (asserted).</summary>
    public static float ConstantOf(Tensor t)
    {
        float first = t.flatten()[0].item<float>();
        Assert.True(t.eq(first).all().item<bool>(), "expected a constant tensor");
        return first;
    }
}
