namespace ConR.Api.Age;

/// <summary>An age estimate with its calibrated interval and how much training and validation data backs it.</summary>
/// <param name="Age">The estimate in years, clipped to the model's label range.</param>
/// <param name="Interval">The conformal interval at the requested level.</param>
/// <param name="Range">Where the estimate lies in the training and validation data.</param>
/// <param name="Model">The model version that answered.</param>
/// <param name="ElapsedMs">Server time for this request: decode, preprocess, queue, inference.</param>
internal sealed record AgeResponse(double Age, IntervalDto Interval, AgeRangeDto Range, ModelRef Model, double ElapsedMs);

/// <summary>A prediction interval.</summary>
/// <param name="Lower">Lower end, in label units, clipped to the label range.</param>
/// <param name="Upper">Upper end, in label units, clipped to the label range (an interval need not be symmetric around the estimate).</param>
/// <param name="Level">Nominal coverage: 0.8, 0.9 or 0.95.</param>
/// <param name="Mix">The label mix the interval is calibrated for, as really used: "natural" (covers Level of faces whose
/// ages are distributed as in the training data) or "balanced" (Level of faces in every age range alike, rare ages
/// included). A card from before schema 2 has only "balanced", whatever was asked.</param>
/// <param name="MixNote">Why Mix differs from the mix asked for; null when it does not.</param>
internal sealed record IntervalDto(double Lower, double Upper, double Level, string Mix, string? MixNote);

/// <summary>
/// The 5-year validation band the PREDICTED age falls in (the true age is unknown), with the training data there.
/// </summary>
/// <param name="From">Inclusive lower edge of the band, in years.</param>
/// <param name="To">Exclusive upper edge, in years.</param>
/// <param name="Shot">"many", "median" or "few": the DIR shot of the training-histogram bin of the rounded estimate.</param>
/// <param name="TrainCount">Training faces in that 1-year bin.</param>
/// <param name="ValMae">Mean absolute error on validation faces whose true age lies in the band; null where there were none.</param>
internal sealed record AgeRangeDto(double From, double To, string Shot, long TrainCount, double? ValMae);

/// <summary>The model version that answered.</summary>
/// <param name="Name">The repository name, e.g. "age".</param>
/// <param name="Version">The repository version folder.</param>
internal sealed record ModelRef(string Name, int Version);
