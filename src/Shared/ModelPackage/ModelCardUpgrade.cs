using System.Text.Json.Nodes;

namespace ConR.Shared.ModelPackage;

/// <summary>Rewrites older card JSON into the current schema before it is deserialised, so the rest of the code knows one shape.</summary>
internal static class ModelCardUpgrade
{
    /// <summary>
    /// Schema 1 → 2: the one calibration becomes <c>calibration.balanced</c> (it was fitted and measured on the balanced
    /// val and test splits; its table is keyed by prediction, the default of <c>keyedBy</c>), with no natural-mix
    /// calibration. Nothing else changed between the versions. A card without a calibration object is left for the
    /// required-field check to report.
    /// </summary>
    public static void FromSchema1(JsonObject card)
    {
        if (card["calibration"] is JsonObject calibration && !calibration.ContainsKey("balanced"))
        {
            card["calibration"] = new JsonObject { ["balanced"] = calibration.DeepClone() };
        }

        card["schemaVersion"] = ModelCard.CurrentSchemaVersion;
    }
}
