namespace ConR.Shared.Calibration;

/// <summary>
/// How hard each true label is to predict: a step function s(y) of the label, the kernel-smoothed mean absolute
/// validation residual around y. A label-keyed table with a scale is a normalised conformal predictor (Papadopoulos et
/// al. 2002; Lei et al. 2018): a range's q is fitted on |y − ŷ| / s(y), and a label y allows |y − ŷ| ≤ q·s(y). Within a
/// range, labels the model finds harder (typically the rarest ones at its edge) then get wider intervals and the easy
/// ones narrower, instead of one q for the whole range that under-covers the hard labels.
/// </summary>
/// <param name="From">Lower edge of cell 0, in label units.</param>
/// <param name="Step">Cell width in label units; &gt; 0. Cell j is [From + j·Step, From + (j + 1)·Step).</param>
/// <param name="Bandwidth">The Gaussian kernel's standard deviation in label units the values were smoothed with.</param>
/// <param name="Values">s per cell, in label units; each positive and finite. Labels below cell 0 or above the last
/// cell use the end values.</param>
public sealed record LabelScale(double From, double Step, double Bandwidth, IReadOnlyList<double> Values)
{
    /// <summary>s(y): the value of the cell <paramref name="label"/> falls in, the end cells' beyond them.</summary>
    public double At(double label) => Values[CellOf(label)];

    /// <summary>The cell index of <paramref name="label"/>, clamped into [0, Values.Count − 1].</summary>
    internal int CellOf(double label) =>
        (int)Math.Clamp(Imbalance.LabelBins.FloorIndex(label, From, Step), 0, Values.Count - 1);

    /// <summary>Lower edge of cell <paramref name="cell"/> (cell = Values.Count gives the top edge).</summary>
    internal double EdgeOf(int cell) => From + (cell * Step);
}
