using ConR.Training.Age.Data;


namespace ConR.Training.Tests.Age.Data;

/// <summary>The comparison grid decodes its images once: the cache is reused only for the same data flags.</summary>
public sealed class AgeImageCacheTests
{
    [Fact]
    public void Load_SameDataFlags_ReusesTheImagesAndMatchesAnUncachedLoad()
    {
        using var data = new TinyAgeDataSet();
        var cache = new AgeImageCache();
        var plain = data.Config();
        var reweighted = plain with { Reweight = "inverse", Seed = 7 };

        var first = AgeData.Load(plain, TextWriter.Null, cache: cache);
        var second = AgeData.Load(reweighted, TextWriter.Null, cache: cache);
        var uncached = AgeData.Load(reweighted, TextWriter.Null);

        Assert.Same(first.Store, second.Store);
        Assert.Equal(1, cache.Hits);
        Assert.Equal(uncached.Weights, second.Weights);
        Assert.Equal(uncached.Train, second.Train);
        Assert.Equal(uncached.Store.Pixels(5).ToArray(), second.Store.Pixels(5).ToArray());
    }

    [Fact]
    public void Load_OtherImageSizeOrTrainLimit_DecodesAgain()
    {
        using var data = new TinyAgeDataSet();
        var cache = new AgeImageCache();
        var config = data.Config();

        var first = AgeData.Load(config, TextWriter.Null, cache: cache);
        var resized = AgeData.Load(config with { ImageSize = 12 }, TextWriter.Null, cache: cache);
        var limited = AgeData.Load(config with { ImageSize = 12, LimitTrain = 10 }, TextWriter.Null, cache: cache);

        Assert.Equal(0, cache.Hits);
        Assert.NotSame(first.Store, resized.Store);
        Assert.Equal(12, resized.Store.Size);
        Assert.Equal(10, limited.Train.Length);
    }
}
