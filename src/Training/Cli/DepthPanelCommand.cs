using System.CommandLine;
using ConR.Training.Depth.Export;
using ConR.Training.Engine;

namespace ConR.Training.Cli;

/// <summary>`conr-train depth-panel --run RUNDIR --package REPO/NAME/VERSION --out PNG`: the README's depth picture.</summary>
internal static class DepthPanelCommand
{
    public static Command Create()
    {
        var runOption = new Option<string>("--run") { Description = "The depth run folder the package was exported from", Required = true };
        var package = new Option<string>("--package") { Description = "The exported package, REPO/NAME/VERSION (its model.json gives the intervals)", Required = true };
        var output = new Option<string>("--out") { Description = $"PNG to write, e.g. docs/images/{DepthPackagePanel.FileName}", Required = true };
        var device = CommonOptions.Device();
        var command = new Command(
            "depth-panel",
            $"Picture {DepthPackagePanel.Scenes} test scenes of a depth run: input, truth, prediction and the package's natural-mix 90% interval half-width per pixel")
        {
            runOption, package, output, device,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            try
            {
                DepthPackagePanel.Write(parse.GetValue(runOption)!, parse.GetValue(package)!, parse.GetValue(output)!,
                    DeviceSelector.Select(parse.GetValue(device)!, Console.Out), Console.Out);
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
