using System.CommandLine;
using ConR.Training.Engine;

namespace ConR.Training.Cli;

internal static class CommonOptions
{
    public static Option<string> Device() => new("--device")
    {
        Description = "auto | cpu | cuda (cuda needs the build switch -p:TorchDevice=cuda)",
        DefaultValueFactory = _ => "auto",
    };

    // Options that only mean something under a switch are refused without it, rather than silently ignored.
    public static void RequireGate(ParseResult parse, Option<bool> gate, params Option[] dependents)
    {
        var given = dependents.Where(o => parse.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToList();
        if (!parse.GetValue(gate) && given.Count > 0)
            throw new ConfigurationException($"{string.Join(", ", given)} only {(given.Count == 1 ? "applies" : "apply")} with {gate.Name}");
    }
}
