using ConR.Shared.Calibration;
using ConR.Shared.Imbalance;

namespace ConR.Shared.Tests.Calibration;

public class LabelShiftWeightsTests
{
    // Four 1-unit bins with training counts 0, 10, 30, 60 (shares 0, 0.1, 0.3, 0.6).
    private static readonly LabelHistogram Train = LabelHistogram.FromCounts([0, 10, 30, 60], new LabelBins(1, 4));

    [Fact]
    public void Fit_HandCounts_WeightIsTargetShareOverSampleShare()
    {
        // Sample: 5 in bin 0, 5 in bin 1, none in bin 2, 10 in bin 3 (shares 0.25, 0.25, 0, 0.5). Bin 2 has no sample
        // and joins bin 1: (0.1 + 0.3) / 0.25 = 1.6. Bin 0: 0 / 0.25 = 0. Bin 3: 0.6 / 0.5 = 1.2.
        double[] labels = [.. Enumerable.Repeat(0.5, 5), .. Enumerable.Repeat(1.5, 5), .. Enumerable.Repeat(3.2, 10)];

        var weights = LabelShiftWeights.Fit(Train, labels);

        Assert.Equal(3, weights.GroupCount);
        Assert.Equal(0, weights.WeightOf(0.5));
        Assert.Equal(1.6, weights.WeightOf(1.5), 12);
        Assert.Equal(1.6, weights.WeightOf(2.5), 12);
        Assert.Equal(1.2, weights.WeightOf(3.9), 12);

        // (Σw)² / Σw² = (5·1.6 + 10·1.2)² / (5·1.6² + 10·1.2²) = 400 / 27.2.
        Assert.Equal(400 / 27.2, weights.EffectiveSampleSize, 12);
    }

    [Fact]
    public void Fit_LeadingBinsWithoutSamples_JoinTheFirstOccupiedBin()
    {
        var train = LabelHistogram.FromCounts([10, 10, 30, 50], new LabelBins(1, 4));

        // Samples only in bins 2 and 3: bins 0 and 1 pool into bin 2's group, (0.1 + 0.1 + 0.3) / 0.5 = 1.
        var weights = LabelShiftWeights.Fit(train, [2.5, 3.5]);

        Assert.Equal(2, weights.GroupCount);
        Assert.Equal(1, weights.WeightOf(0.2), 12);
        Assert.Equal(1, weights.WeightOf(2.5), 12);
        Assert.Equal(1, weights.WeightOf(3.5), 12);
    }

    [Fact]
    public void For_WeightedSample_ReproducesTheTargetShares()
    {
        // The importance-weighting identity: Σ w(y_i)·[y_i in bin] / Σ w(y_i) = p_target(bin), for any sample that
        // has labels in every bin.
        var train = LabelHistogram.FromCounts([5, 20, 100, 300, 40, 1], new LabelBins(2, 6, 10));
        var random = new Random(3);
        double[] labels = [.. Enumerable.Range(0, 1_000).Select(_ => 10 + (random.NextDouble() * 12))];

        var w = LabelShiftWeights.Fit(train, labels).For(labels);

        for (var bin = 0; bin < 6; bin++)
        {
            var inBin = Enumerable.Range(0, labels.Length).Where(i => train.Bins.BinOf(labels[i]) == bin).Sum(i => w[i]);
            Assert.Equal((double)train[bin] / train.Total, inBin / w.Sum(), 12);
        }
    }

    [Fact]
    public void Fit_SampleWithTheTargetShares_WeighsEverythingOne()
    {
        double[] labels = [0.5, 1.5, 2.5, 2.5, 2.5, 3.5, 3.5, 3.5, 3.5, 3.5, 3.5];
        var train = LabelHistogram.FromCounts([10, 10, 30, 60], new LabelBins(1, 4));

        var weights = LabelShiftWeights.Fit(train, labels);

        Assert.All(weights.For(labels), w => Assert.Equal(1, w, 12));
        Assert.Equal(labels.Length, weights.EffectiveSampleSize, 9);
    }

    [Fact]
    public void For_FloatSpan_MatchesDoubles()
    {
        double[] labels = [0.5, 1.5, 3.2, 3.3];
        var weights = LabelShiftWeights.Fit(Train, labels);
        var fromSpan = LabelShiftWeights.Fit(Train, labels.Select(v => (float)v).ToArray().AsSpan());

        Assert.Equal(weights.For(labels).Select(w => (float)w), fromSpan.For([0.5f, 1.5f, 3.2f, 3.3f]));
    }

    [Fact]
    public void Fit_NoSampleLabels_Throws()
    {
        Assert.Throws<ArgumentException>(() => LabelShiftWeights.Fit(Train, Array.Empty<double>()));
    }

    [Fact]
    public void Fit_SamplesInOneBin_CarryTheWholeTargetMass()
    {
        // Never invented, never dropped: the target mass of bins without samples moves to the one bin that has them.
        var weights = LabelShiftWeights.Fit(Train, [0.1, 0.2]);

        Assert.Equal(1, weights.GroupCount);
        Assert.Equal(1, weights.WeightOf(0.1), 12);
    }

    [Fact]
    public void Fit_EmptyTarget_Throws()
    {
        var empty = LabelHistogram.FromCounts([0, 0], new LabelBins(1, 2));

        Assert.Throws<ArgumentException>(() => LabelShiftWeights.Fit(empty, [0.5]));
    }

    [Fact]
    public void Fit_NaNLabel_Throws()
    {
        Assert.Throws<ArgumentException>(() => LabelShiftWeights.Fit(Train, [1.0, double.NaN]));
    }
}
