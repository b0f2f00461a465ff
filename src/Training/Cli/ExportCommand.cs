using System.CommandLine;
using ConR.Shared.ModelPackage;
using ConR.Training.Age.Export;
using ConR.Training.Depth;
using ConR.Training.Depth.Export;
using ConR.Training.Engine;
using ConR.Training.Export;

namespace ConR.Training.Cli;

/// <summary>`conr-train export --run RUNDIR --repo MODELREPO --name NAME [--version N] [--weights fp32|fp16]`.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var runOption = new Option<string>("--run") { Description = "Run folder written by `train`", Required = true };
        var repo = new Option<string>("--repo") { Description = "Model repository root (REPO/NAME/VERSION/model.onnx + model.json)", Required = true };
        var name = new Option<string>("--name") { Description = "Model name in the repository", Required = true };
        var version = new Option<int?>("--version") { Description = "Integer version to write (default: newest + 1); never overwrites" };
        var weights = new Option<string>("--weights")
        {
            Description = "fp32 | fp16: how conv/linear weights are stored in model.onnx. fp16 halves the file; the graph casts them "
                          + "back and computes in float32, and the card is measured with the rounded weights",
            DefaultValueFactory = _ => OnnxWeightStorageNames.Fp32,
        };
        var device = CommonOptions.Device();
        var command = new Command("export", "Export a run's best model to ONNX with a model card (metrics, per-range error, calibrated intervals)")
        {
            runOption, repo, name, version, weights, device,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            try
            {
                // Refused before any work: the name becomes a folder and a URL segment.
                if (ModelNames.Problem(parse.GetValue(name)) is { } problem) throw new ConfigurationException(problem);
                var storage = OnnxWeightStorageNames.Parse(parse.GetValue(weights));
                if (DepthTrainingRun.IsDepthRun(new RunDirectory(parse.GetValue(runOption)!)))
                {
                    DepthModelPackager.Export(parse.GetValue(runOption)!, new ModelRepository(parse.GetValue(repo)!), parse.GetValue(name)!,
                        parse.GetValue(version), DeviceSelector.Select(parse.GetValue(device)!, Console.Out), Console.Out, storage);
                    return 0;
                }
                AgeModelPackager.Export(parse.GetValue(runOption)!, new ModelRepository(parse.GetValue(repo)!), parse.GetValue(name)!,
                    parse.GetValue(version), DeviceSelector.Select(parse.GetValue(device)!, Console.Out), Console.Out, storage);
            }
            catch (Exception ex) when (ex is IOException or ArgumentException)
            {
                throw new ConfigurationException(ex.Message);
            }
            return 0;
        }));
        return command;
    }
}
