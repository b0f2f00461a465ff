using TorchSharp;
using static TorchSharp.torch;

namespace ConR.Training.Methods;

/// <summary>
/// Feature distribution smoothing: per-bucket running mean and variance of the pooled features, smoothed across
/// neighbouring buckets, and a calibration of each training feature from its bucket's statistics to the smoothed ones
/// (docs/conr-digest.md §2.2, written from the formulas):
/// <code>z' = (z − μ_b) · sqrt(clamp(σ̃²_b / σ²_b, lo, hi)) + μ̃_b</code>
/// The statistics live in this module, saved as <c>fds.bin</c> next to the model checkpoint, never inside the model,
/// so the model's state dict (and every existing checkpoint) is unchanged.
/// </summary>
/// <remarks>
/// <para>Epoch protocol (0-based epochs, as the official code): after training epoch t ≥ StartUpdate the trainer
/// computes the features of the whole training set and calls <see cref="EndOfEpoch"/>, which first (when t is one past
/// the last recorded epoch) copies the running statistics to the "last epoch" ones and smooths them, then folds epoch
/// t's statistics into the running ones with momentum (none at t = StartUpdate). Epoch t ≥ StartSmooth calibrates with
/// the last-epoch statistics, so with the defaults calibration uses the statistics of two epochs before.</para>
/// <para>Fix of the official aliasing: the official module assigns <c>running_mean_last_epoch = running_mean</c>,
/// making both names one tensor, so the in-place running update that follows also rewrites the "last epoch" mean and
/// variance, while the smoothed ones keep the older values. Here the last-epoch buffers are separate storage filled
/// with <c>copy_</c>: the raw and the smoothed last-epoch statistics always describe the same epoch.</para>
/// <para>Buckets: bucket(y) = clamp(floor(y) − BucketStart, 0, Buckets − 1), so labels below the first bucket and
/// above the last are always pooled into the end buckets (the official loop pools them only when the boundary label
/// itself occurs in the batch).</para>
/// </remarks>
public sealed class Fds : nn.Module
{
    // A bucket whose variances sum below this has never been seen: its features pass unchanged.
    private const double EmptyVarianceSum = 1e-10;

    private readonly Tensor epoch;
    private readonly Tensor runningMean, runningVar;
    private readonly Tensor runningMeanLastEpoch, runningVarLastEpoch;
    private readonly Tensor smoothedMeanLastEpoch, smoothedVarLastEpoch;
    private readonly double[] window;

    public Fds(int featureDim, FdsOptions options, Device? device = null) : base("fds")
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(featureDim, 1);
        Options = options;
        FeatureDim = featureDim;
        window = options.Window();
        device ??= CPU;
        int k = options.Buckets;
        epoch = tensor(new long[] { options.StartUpdate }, device: device);
        runningMean = zeros(k, featureDim, device: device);
        runningVar = ones(k, featureDim, device: device);
        runningMeanLastEpoch = zeros(k, featureDim, device: device);
        runningVarLastEpoch = ones(k, featureDim, device: device);
        smoothedMeanLastEpoch = zeros(k, featureDim, device: device);
        smoothedVarLastEpoch = ones(k, featureDim, device: device);
        register_buffer("epoch", epoch);
        register_buffer("running_mean", runningMean);
        register_buffer("running_var", runningVar);
        register_buffer("running_mean_last_epoch", runningMeanLastEpoch);
        register_buffer("running_var_last_epoch", runningVarLastEpoch);
        register_buffer("smoothed_mean_last_epoch", smoothedMeanLastEpoch);
        register_buffer("smoothed_var_last_epoch", smoothedVarLastEpoch);
    }

    public FdsOptions Options { get; }

    public int FeatureDim { get; }

    /// <summary>The last epoch whose statistics were moved to the "last epoch" buffers (starts at StartUpdate).</summary>
    public int Epoch => (int)epoch.item<long>();

    public Tensor RunningMean => runningMean;
    public Tensor RunningVar => runningVar;
    public Tensor RunningMeanLastEpoch => runningMeanLastEpoch;
    public Tensor RunningVarLastEpoch => runningVarLastEpoch;
    public Tensor SmoothedMeanLastEpoch => smoothedMeanLastEpoch;
    public Tensor SmoothedVarLastEpoch => smoothedVarLastEpoch;

    /// <summary>Bucket index of each label: clamp(floor(y) − BucketStart, 0, Buckets − 1).</summary>
    public Tensor BucketOf(Tensor labels) =>
        (labels.detach().reshape(-1).floor() - Options.BucketStart).clamp(0, Options.Buckets - 1).to_type(ScalarType.Int64);

    /// <summary>
    /// The calibrated features during training epoch <paramref name="epochIndex"/>, or the features themselves before
    /// StartSmooth. Returns a new tensor (the input is never modified); gradients flow through the features with the
    /// factor sqrt(clamp(σ̃²/σ²)). Feature dimensions with zero variance, and never-seen buckets, pass unchanged.
    /// </summary>
    /// <param name="features">[N, D].</param>
    /// <param name="labels">[N] or [N, 1].</param>
    /// <param name="epochIndex">The current training epoch (0-based).</param>
    public Tensor Smooth(Tensor features, Tensor labels, int epochIndex)
    {
        if (epochIndex < Options.StartSmooth) return features;
        CheckFeatures(features, labels);
        using var scope = NewDisposeScope();
        var bucket = BucketOf(labels).to(features.device);
        var m1 = runningMeanLastEpoch.index_select(0, bucket);
        var v1 = runningVarLastEpoch.index_select(0, bucket);
        var m2 = smoothedMeanLastEpoch.index_select(0, bucket);
        var v2 = smoothedVarLastEpoch.index_select(0, bucket);
        var z = features.to_type(ScalarType.Float32);
        var live = v1.ne(0);
        var factor = (v2 / where(live, v1, ones_like(v1))).clamp(Options.ClampLow, Options.ClampHigh);
        var calibrated = where(live, (z - m1) * factor.sqrt() + m2, z);
        var seen = v1.sum(1, keepdim: true).ge(EmptyVarianceSum);
        return where(seen, calibrated, z).to_type(features.dtype).MoveToOuterDisposeScope();
    }

    /// <summary>The end-of-epoch update: <see cref="UpdateLastEpochStats"/> then <see cref="UpdateRunningStats"/>.</summary>
    /// <param name="features">[N, D] features of the whole training set (no gradient needed).</param>
    /// <param name="labels">[N] labels.</param>
    /// <param name="epochIndex">The epoch just trained (0-based).</param>
    public void EndOfEpoch(Tensor features, Tensor labels, int epochIndex)
    {
        UpdateLastEpochStats(epochIndex);
        UpdateRunningStats(features, labels, epochIndex);
    }

    /// <summary>
    /// When <paramref name="epochIndex"/> is one past <see cref="Epoch"/>: copies (not aliases) the running statistics
    /// into the last-epoch buffers and smooths them across buckets.
    /// </summary>
    public void UpdateLastEpochStats(int epochIndex)
    {
        if (epochIndex != Epoch + 1) return;
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        epoch.fill_(epochIndex);
        runningMeanLastEpoch.copy_(runningMean);
        runningVarLastEpoch.copy_(runningVar);
        smoothedMeanLastEpoch.copy_(SmoothAcrossBuckets(runningMeanLastEpoch));
        smoothedVarLastEpoch.copy_(SmoothAcrossBuckets(runningVarLastEpoch));
    }

    /// <summary>
    /// Folds one epoch's per-bucket mean and variance (unbiased; biased for a single sample) into the running
    /// statistics: s ← (1 − m)·s_epoch + m·s, with m = 0 at StartUpdate. Buckets without samples keep their values.
    /// </summary>
    public void UpdateRunningStats(Tensor features, Tensor labels, int epochIndex)
    {
        if (epochIndex < Epoch) return;
        CheckFeatures(features, labels);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var z = features.detach().to_type(ScalarType.Float32).to(runningMean.device);
        var buckets = BucketOf(labels).cpu().data<long>().ToArray();
        double factor = epochIndex == Options.StartUpdate ? 0 : Options.Momentum;
        foreach (var group in Enumerable.Range(0, buckets.Length).GroupBy(i => buckets[i]))
        {
            var members = group.Select(i => (long)i).ToArray();
            var rows = z.index_select(0, tensor(members, device: z.device));
            var mean = rows.mean(new long[] { 0 });
            var variance = rows.var(0, unbiased: members.Length > 1);
            runningMean[group.Key].copy_((1 - factor) * mean + factor * runningMean[group.Key]);
            runningVar[group.Key].copy_((1 - factor) * variance + factor * runningVar[group.Key]);
        }
    }

    /// <summary>
    /// Convolves [K, D] statistics along the bucket axis with the sum-normalised window, padding each end by
    /// (ks − 1)/2 buckets with PyTorch's "reflect" (mirror without repeating the edge: c b | a b c | b a), as the
    /// official module does with <c>F.pad(..., mode='reflect')</c>.
    /// </summary>
    public Tensor SmoothAcrossBuckets(Tensor statistics)
    {
        using var scope = NewDisposeScope();
        int half = window.Length / 2;
        var weight = tensor(window.Select(v => (float)v).ToArray(), device: statistics.device).reshape(1, 1, window.Length);
        var rows = statistics.to_type(ScalarType.Float32).T.unsqueeze(1); // [D, 1, K]
        var padded = half > 0 ? nn.functional.pad(rows, new long[] { half, half }, PaddingModes.Reflect) : rows;
        var smoothed = nn.functional.conv1d(padded, weight).squeeze(1).T.contiguous();
        return smoothed.MoveToOuterDisposeScope();
    }

    private void CheckFeatures(Tensor features, Tensor labels)
    {
        if (features.dim() != 2 || features.shape[1] != FeatureDim)
            throw new ArgumentException($"FDS expects [N, {FeatureDim}] features, got [{string.Join(", ", features.shape)}]", nameof(features));
        if (labels.numel() != features.shape[0])
            throw new ArgumentException($"FDS got {labels.numel()} labels for {features.shape[0]} features", nameof(labels));
    }
}
