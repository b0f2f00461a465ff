using ConR.Training.Age;
using ConR.Training.Engine;


namespace ConR.Training.Methods.Comparisons;

/// <summary>
/// One method of the comparison grid, named by '+'-joined parts: <c>vanilla</c>, <c>sqinv</c>, <c>inv</c>,
/// <c>lds</c> (with sqinv unless inv is given), <c>fds</c>, <c>bmse</c> (= <c>bni</c>), <c>bmc</c>, <c>bni</c>,
/// <c>gai</c>, <c>ranksim</c>, <c>focal</c> (Focal-R L1). ConR is not a part: the grid adds it
/// (<c>--with-and-without-conr</c>).
/// </summary>
public sealed record ComparisonMethod(string Name, IReadOnlyList<string> Parts)
{
    private static readonly string[] Known = ["vanilla", "sqinv", "inv", "lds", "fds", "bmse", "bmc", "bni", "gai", "ranksim", "focal"];

    /// <summary>Parses a comma-separated list such as <c>vanilla,lds,fds,lds+fds,bmse,ranksim</c>.</summary>
    public static IReadOnlyList<ComparisonMethod> ParseList(string text)
    {
        var methods = new List<ComparisonMethod>();
        foreach (var item in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var method = Parse(item);
            if (methods.Any(m => m.Name == method.Name)) throw new ConfigurationException($"--methods lists {method.Name} twice");
            methods.Add(method);
        }
        if (methods.Count == 0) throw new ConfigurationException("--methods is empty (e.g. vanilla,lds,fds,lds+fds,bmse,ranksim)");
        return methods;
    }

    public static ComparisonMethod Parse(string text)
    {
        var name = text.Trim().ToLowerInvariant();
        var parts = name.Split('+', StringSplitOptions.TrimEntries);
        foreach (var part in parts)
        {
            if (part == "conr") throw new ConfigurationException($"--methods {name}: ConR is added by --with-and-without-conr, not named in a method");
            if (!Known.Contains(part)) throw new ConfigurationException($"--methods: unknown method '{part}' in '{name}' (known: {string.Join(", ", Known)}, joined with +)");
        }
        if (parts.Distinct().Count() != parts.Length) throw new ConfigurationException($"--methods {name} repeats a part");
        if (parts.Contains("vanilla") && parts.Length > 1) throw new ConfigurationException($"--methods {name}: vanilla cannot be combined");
        if (parts.Contains("sqinv") && parts.Contains("inv")) throw new ConfigurationException($"--methods {name}: choose sqinv or inv");
        if (parts.Count(p => p is "bmse" or "bmc" or "bni" or "gai") > 1) throw new ConfigurationException($"--methods {name}: choose one Balanced MSE form");
        return new ComparisonMethod(name, parts);
    }

    /// <summary>The run configuration of this method on top of <paramref name="common"/>, with or without ConR.</summary>
    public AgeTrainConfig Apply(AgeTrainConfig common, bool conr, int seed)
    {
        var config = common with { ConR = conr, Seed = seed };
        foreach (var part in Parts)
        {
            config = part switch
            {
                "sqinv" => config with { Reweight = "sqrt_inv" },
                "inv" => config with { Reweight = "inverse" },
                "lds" => config with { Lds = true, Reweight = Parts.Contains("inv") ? "inverse" : "sqrt_inv" },
                "fds" => config with { Fds = true },
                "bmse" or "bni" => config with { Bmse = true, BmseImp = "bni", Loss = "mse" },
                "bmc" => config with { Bmse = true, BmseImp = "bmc", Loss = "mse" },
                "gai" => config with { Bmse = true, BmseImp = "gai", Loss = "mse" },
                "ranksim" => config with { RankSim = true },
                "focal" => config with { Loss = "focal_l1" },
                _ => config,
            };
        }
        // GAI's component count is a common flag; other methods must not carry it (the config would be refused).
        if (!(config.Bmse && config.BmseImp == "gai")) config = config with { GaiComponents = null };
        return config;
    }

    /// <summary>The run folder of one cell: &lt;method&gt;[+conr]-s&lt;seed&gt;.</summary>
    public string Folder(bool conr, int seed) => $"{Name}{(conr ? "+conr" : "")}-s{seed}";
}
