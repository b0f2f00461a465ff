using System.Text.Json.Nodes;

namespace ConR.Shared.ModelPackage;

/// <summary>Rewrites older card JSON into the current schema before it is deserialised, so the rest of the code knows one shape.</summary>
internal static class ModelCardUpgrade
{
    /// <summary>
    /// Brings a card of schema <paramref name="version"/> to the current one, step by step. Schema 2 → 3 adds the
    /// optional <c>scale</c> of a label-keyed table (normalised conformal); a schema-2 table has none, which means plain
    /// residuals, exactly what it meant before, so that step changes nothing but the version. Schema 3 is a separate
    /// version so that older serving code refuses a scaled card instead of serving its intervals without the scale.
    /// </summary>
    public static void ToCurrent(JsonObject card, int version)
    {
        if (version < 2)
        {
            FromSchema1(card);
        }

        card["schemaVersion"] = ModelCard.CurrentSchemaVersion;
    }

    /// <summary>
    /// Schema 1 → 2: the one calibration becomes <c>calibration.balanced</c> (it was fitted and measured on the balanced
    /// val and test splits; its table is keyed by prediction, the default of <c>keyedBy</c>), with no natural-mix
    /// calibration. Nothing else changed between the versions. A card without a calibration object is left for the
    /// required-field check to report.
    /// </summary>
    private static void FromSchema1(JsonObject card)
    {
        if (card["calibration"] is JsonObject calibration && !calibration.ContainsKey("balanced"))
        {
            card["calibration"] = new JsonObject { ["balanced"] = calibration.DeepClone() };
        }
    }
}
