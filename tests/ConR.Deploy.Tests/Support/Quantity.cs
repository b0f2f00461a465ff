using System.Globalization;

namespace ConR.Deploy.Tests.Support;

/// <summary>Kubernetes resource quantities ("2", "500m", "768Mi", "6Gi") as numbers, to compare requests with limits.</summary>
internal static class Quantity
{
    private static readonly (string Suffix, double Factor)[] Suffixes =
        [("Ki", 1024d), ("Mi", 1024d * 1024), ("Gi", 1024d * 1024 * 1024), ("Ti", 1024d * 1024 * 1024 * 1024), ("m", 0.001), ("k", 1e3), ("M", 1e6), ("G", 1e9)];

    public static double Parse(string text)
    {
        foreach (var (suffix, factor) in Suffixes)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal))
            {
                return double.Parse(text[..^suffix.Length], CultureInfo.InvariantCulture) * factor;
            }
        }

        return double.Parse(text, CultureInfo.InvariantCulture);
    }
}
