namespace ConR.Shared.ModelPackage;

/// <summary>The ConR contrastive term the model was trained with (paper symbols in brackets).</summary>
/// <param name="Enabled">Whether the ConR loss was added to the regression loss.</param>
/// <param name="Window">Label similarity window (w), in label units.</param>
/// <param name="Beta">Weight of the ConR loss (β).</param>
/// <param name="Temperature">Contrastive temperature (τ).</param>
/// <param name="PushingScale">Pushing-weight scale (e).</param>
public sealed record ConRCard(bool Enabled, double Window, double Beta, double Temperature, double PushingScale);
