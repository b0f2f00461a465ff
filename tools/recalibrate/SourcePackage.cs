using System.Globalization;
using ConR.Shared.ModelPackage;

namespace ConR.Recalibrate;

/// <summary>An existing package, REPO/NAME/V/{model.json, model.onnx}, checked as the serving API checks it.</summary>
internal sealed record SourcePackage(string Repository, string Name, int Version, ModelCard Card, byte[] Onnx)
{
    public const string OnnxFile = "model.onnx", CardFile = "model.json";

    /// <summary>Reads and checks the package: the card validates, names its folder, and its digest is model.onnx's.</summary>
    /// <exception cref="RecalibrationInputException">The folder, card or graph is missing or the card is unreadable.</exception>
    /// <exception cref="RecalibrationRefusedException">The card does not describe this folder or this graph.</exception>
    public static SourcePackage Read(string folder)
    {
        var full = Path.GetFullPath(Path.TrimEndingDirectorySeparator(folder));
        if (!int.TryParse(Path.GetFileName(full), NumberStyles.None, CultureInfo.InvariantCulture, out var version) || version < 1)
        {
            throw new RecalibrationInputException($"{folder} is not a package folder REPO/NAME/VERSION (VERSION a positive integer).");
        }

        var nameFolder = Path.GetDirectoryName(full)!;
        var name = Path.GetFileName(nameFolder);
        var cardPath = Path.Combine(full, CardFile);
        var onnxPath = Path.Combine(full, OnnxFile);
        if (!File.Exists(cardPath) || !File.Exists(onnxPath))
        {
            throw new RecalibrationInputException($"{full} needs {CardFile} and {OnnxFile}.");
        }

        ModelCard card;
        try
        {
            card = ModelCardSerializer.Deserialize(File.ReadAllText(cardPath), $"{name}/{version}/{CardFile}");
        }
        catch (ModelCardException ex)
        {
            throw new RecalibrationInputException(ex.Message, ex);
        }

        if (card.Name != name || card.Version != version)
        {
            throw new RecalibrationRefusedException($"{name}/{version}/{CardFile} describes {card.Name}/{card.Version}; a card must match its folder.");
        }

        var onnx = File.ReadAllBytes(onnxPath);
        var digest = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(onnx));
        if (!string.Equals(digest, card.OnnxSha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new RecalibrationRefusedException($"{name}/{version}/{OnnxFile} has SHA-256 {digest}, but the card says {card.OnnxSha256}.");
        }

        return new SourcePackage(Path.GetDirectoryName(nameFolder)!, name, version, card, onnx);
    }
}
