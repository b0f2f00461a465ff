using System.CommandLine;

namespace ConR.Training.Cli;

internal static class CommonOptions
{
    public static Option<string> Device() => new("--device")
    {
        Description = "auto | cpu | cuda (cuda needs the build switch -p:TorchDevice=cuda)",
        DefaultValueFactory = _ => "auto",
    };
}
