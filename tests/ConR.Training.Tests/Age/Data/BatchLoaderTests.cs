using ConR.Shared.Preprocessing;
using ConR.Training.Age.Data;

namespace ConR.Training.Tests.Age.Data;

public class BatchLoaderTests
{
    private const int Size = 8;
    private static readonly ImageSpec Spec = ImageSpec.Age(Size);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void Batches_NoDropLast_YieldsEveryIndexOnce(int workers)
    {
        var store = Fixtures.RandomStore(23, Size);
        using var loader = Loader(store, batchSize: 5, augment: true, epoch: 0, workers: workers);

        var batches = loader.Batches().ToList();

        Assert.Equal(5, loader.BatchCount);
        Assert.Equal([5, 5, 5, 5, 3], batches.Select(b => b.Count));
        Assert.Equal(Enumerable.Range(0, 23), batches.SelectMany(b => b.Indices).Order());
        Assert.All(batches, b => Assert.Equal(b.Indices.Select(i => (float)i), b.Labels));
        Assert.All(batches, b => Assert.All(b.Views, v => Assert.Equal(b.Count * Spec.TensorLength, v.Length)));
    }

    [Fact]
    public void Batches_DropLast_DropsShortBatch()
    {
        var store = Fixtures.RandomStore(23, Size);
        using var loader = Loader(store, batchSize: 5, augment: false, epoch: 0, workers: 2, dropLast: true);

        var batches = loader.Batches().ToList();

        Assert.Equal(4, loader.BatchCount);
        Assert.All(batches, b => Assert.Equal(5, b.Count));
    }

    [Fact]
    public void Batches_SameSeedAndEpoch_IdenticalWhateverTheWorkers()
    {
        var store = Fixtures.RandomStore(30, Size);

        var inline = Snapshot(store, epoch: 3, workers: 0, returnBuffers: false);
        var threaded = Snapshot(store, epoch: 3, workers: 3, returnBuffers: true);
        var again = Snapshot(store, epoch: 3, workers: 2, returnBuffers: true);

        Assert.Equal(inline, threaded);
        Assert.Equal(inline, again);
    }

    [Fact]
    public void Batches_DifferentEpoch_DifferentOrder()
    {
        var store = Fixtures.RandomStore(30, Size);
        using var first = Loader(store, batchSize: 4, augment: true, epoch: 0, workers: 1);
        using var second = Loader(store, batchSize: 4, augment: true, epoch: 1, workers: 1);

        Assert.NotEqual(first.Order, second.Order);
        Assert.NotEqual(
            first.Batches().SelectMany(b => b.Indices).ToArray(),
            second.Batches().SelectMany(b => b.Indices).ToArray());
    }

    [Fact]
    public void Batches_Augmented_ViewsDiffer()
    {
        var store = Fixtures.RandomStore(10, Size);
        using var loader = Loader(store, batchSize: 10, augment: true, epoch: 0, workers: 1, views: 2);

        var batch = Assert.Single(loader.Batches());

        Assert.NotEqual(batch.Views[0], batch.Views[1]);
    }

    [Fact]
    public void Batches_NotAugmented_ViewsAreTheEvalTransform()
    {
        var store = Fixtures.RandomStore(6, Size);
        using var loader = Loader(store, batchSize: 4, augment: false, epoch: 0, workers: 2, views: 2, shuffle: false);

        var batches = loader.Batches().ToList();

        foreach (var batch in batches)
        {
            for (int k = 0; k < batch.Count; k++)
            {
                var expected = new float[Spec.TensorLength];
                ImagePreprocessor.ToChw(store.Pixels(batch.Indices[k]), Spec, expected);
                Assert.Equal(expected, batch.Views[0].AsSpan(k * expected.Length, expected.Length).ToArray());
                Assert.Equal(expected, batch.Views[1].AsSpan(k * expected.Length, expected.Length).ToArray());
            }
        }
        Assert.Equal(Enumerable.Range(0, 6), batches.SelectMany(b => b.Indices));
    }

    [Fact]
    public async Task Dispose_AfterConsumerStopsEarly_ReturnsPromptly()
    {
        var store = Fixtures.RandomStore(200, Size);
        var loader = Loader(store, batchSize: 1, augment: true, epoch: 0, workers: 3, prefetch: 1);

        var run = Task.Run(() =>
        {
            using var enumerator = loader.Batches().GetEnumerator();
            Assert.True(enumerator.MoveNext());
            loader.Dispose();
        });

        // WaitAsync throws TimeoutException if Dispose hangs with workers blocked on a full queue.
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Batches_BreakOutOfLoop_StopsWorkers()
    {
        var store = Fixtures.RandomStore(200, Size);
        using var loader = Loader(store, batchSize: 1, augment: true, epoch: 0, workers: 2, prefetch: 2);

        var run = Task.Run(() => loader.Batches().Take(3).Count());

        Assert.Equal(3, await run.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void Batches_SecondEnumeration_Throws()
    {
        var store = Fixtures.RandomStore(4, Size);
        using var loader = Loader(store, batchSize: 2, augment: false, epoch: 0, workers: 1);
        _ = loader.Batches().ToList();

        Assert.Throws<InvalidOperationException>(() => loader.Batches());
    }

    [Fact]
    public void Constructor_SpecOfOtherSize_Throws()
    {
        var store = Fixtures.RandomStore(4, Size);

        Assert.Throws<ArgumentException>(
            () => new BatchLoader(store, [0, 1], 2, 1, false, false, false, 0, 0, 1, 1, ImageSpec.Age(Size + 1)));
    }

    private static BatchLoader Loader(
        ImageStore store, int batchSize, bool augment, int epoch, int workers,
        bool dropLast = false, int views = 2, int prefetch = 4, bool shuffle = true) =>
        new(store, Enumerable.Range(0, store.Count).ToArray(), batchSize, views, augment, shuffle, dropLast,
            seed: 42, epoch, workers, prefetch, Spec);

    // Every batch's indices, labels and view bytes, copied out so buffers may be handed back.
    private static List<string> Snapshot(ImageStore store, int epoch, int workers, bool returnBuffers)
    {
        using var loader = Loader(store, batchSize: 4, augment: true, epoch, workers);
        var snapshot = new List<string>();
        foreach (var batch in loader.Batches())
        {
            var bits = batch.Views.SelectMany(v => v.Select(BitConverter.SingleToInt32Bits));
            snapshot.Add($"{string.Join(',', batch.Indices)}|{string.Join(',', batch.Labels)}|{string.Join(',', bits)}");
            if (returnBuffers) loader.Return(batch);
        }
        return snapshot;
    }
}

public class BatchLoaderCropPaddingTests
{
    private const int Size = 8;
    private static readonly ImageSpec Spec = ImageSpec.Age(Size);

    [Fact]
    public void ZeroCropPadding_EveryViewIsTheImageOrItsMirror()
    {
        var store = Fixtures.RandomStore(12, Size);
        using var plain = new BatchLoader(store, Enumerable.Range(0, 12).ToArray(), 12, 1, augment: false, shuffle: false, dropLast: false, 1, 0, 0, 1, Spec);
        using var cropped = new BatchLoader(store, Enumerable.Range(0, 12).ToArray(), 12, 3, augment: true, shuffle: false, dropLast: false, 1, 0, 0, 1, Spec, cropPadding: 0);
        var eval = plain.Batches().Single().Views[0];
        var views = cropped.Batches().Single().Views;
        int length = Spec.TensorLength;
        foreach (var view in views)
        {
            for (int k = 0; k < 12; k++)
            {
                var image = eval.AsSpan(k * length, length).ToArray();
                var augmented = view.AsSpan(k * length, length).ToArray();
                Assert.True(augmented.SequenceEqual(image) || augmented.SequenceEqual(Mirror(image)), $"sample {k} was shifted with padding 0");
            }
        }
    }

    [Fact]
    public void DefaultCropPadding_ShiftsSomeViews()
    {
        var store = Fixtures.RandomStore(12, Size);
        using var plain = new BatchLoader(store, Enumerable.Range(0, 12).ToArray(), 12, 1, augment: false, shuffle: false, dropLast: false, 1, 0, 0, 1, Spec);
        using var cropped = new BatchLoader(store, Enumerable.Range(0, 12).ToArray(), 12, 1, augment: true, shuffle: false, dropLast: false, 1, 0, 0, 1, Spec);
        var eval = plain.Batches().Single().Views[0];
        var view = cropped.Batches().Single().Views[0];
        int length = Spec.TensorLength;
        int shifted = Enumerable.Range(0, 12).Count(k =>
        {
            var image = eval.AsSpan(k * length, length).ToArray();
            var augmented = view.AsSpan(k * length, length).ToArray();
            return !augmented.SequenceEqual(image) && !augmented.SequenceEqual(Mirror(image));
        });
        Assert.True(shifted > 0);
    }

    private static float[] Mirror(float[] chw)
    {
        var result = new float[chw.Length];
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < Size; y++)
                for (int x = 0; x < Size; x++)
                    result[(c * Size * Size) + (y * Size) + x] = chw[(c * Size * Size) + (y * Size) + (Size - 1 - x)];
        return result;
    }
}
