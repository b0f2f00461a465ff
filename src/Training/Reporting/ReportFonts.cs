using System.IO.Compression;
using ScottPlot;
using SkiaSharp;

namespace ConR.Training.Reporting;

/// <summary>
/// The typefaces every report plot draws its text with: subsets of DejaVu Sans (regular and bold)
/// compiled into the assembly (<see cref="ReportFontData"/>).
/// </summary>
/// <remarks>
/// SkiaSharp's Linux "NoDependencies" native library has no fontconfig: it scans /usr/share/fonts, and
/// on a machine with no fonts there (a bare Debian or a slim .NET container) its default typeface has
/// no glyphs, so ScottPlot would draw plots with every label missing. Bundling the font makes text
/// render everywhere and makes the PNGs independent of what fonts a machine happens to have.
/// </remarks>
internal static class ReportFonts
{
    /// <summary>The family name ScottPlot plots are given; resolved only by <see cref="Resolver"/>.</summary>
    internal const string FamilyName = "ConR Report Sans";

    private static readonly Lazy<SKTypeface> RegularTypeface = new(() => Load(ReportFontData.SansRegular));
    private static readonly Lazy<SKTypeface> BoldTypeface = new(() => Load(ReportFontData.SansBold));
    private static readonly Lazy<bool> Registration = new(Register);

    /// <summary>DejaVu Sans (subset). Shared and never disposed.</summary>
    internal static SKTypeface Regular => RegularTypeface.Value;

    /// <summary>DejaVu Sans Bold (subset). Shared and never disposed.</summary>
    internal static SKTypeface Bold => BoldTypeface.Value;

    /// <summary>
    /// Adds, once per process, a ScottPlot font resolver that answers <see cref="FamilyName"/> (and
    /// nothing else) with the bundled typefaces, ahead of ScottPlot's system-font resolver.
    /// </summary>
    internal static void EnsureRegisteredWithScottPlot() => _ = Registration.Value;

    private static bool Register()
    {
        Fonts.FontResolvers.Insert(0, new Resolver());
        return true;
    }

    private static SKTypeface Load(string gzipBase64)
    {
        var compressed = Convert.FromBase64String(gzipBase64);
        using var ttf = new MemoryStream();
        using (var gzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress))
        {
            gzip.CopyTo(ttf);
        }

        using var data = SKData.CreateCopy(ttf.ToArray());
        return SKTypeface.FromData(data)
            ?? throw new InvalidOperationException("The bundled report font could not be loaded.");
    }

    private sealed class Resolver : IFontResolver
    {
        public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing spacing) =>
            IsOurs(fontName) ? (weight >= FontWeight.SemiBold ? Bold : Regular) : null;

        public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) =>
            IsOurs(fontName) ? (bold ? Bold : Regular) : null;

        private static bool IsOurs(string fontName) => string.Equals(fontName, FamilyName, StringComparison.Ordinal);
    }
}
