using System.ComponentModel.DataAnnotations;
using System.Reflection;
using ConR.Api.Options;
using Microsoft.Extensions.Configuration;

namespace ConR.Deploy.Tests.Support;

/// <summary>
/// The configuration the API really binds, taken from its own options classes: every class in the API assembly with
/// a <c>SectionName</c> constant (InferenceOptions "Inference", RateLimitOptions "RateLimiting"). Environment
/// variables are checked by binding them the way the app does (<c>__</c> is <c>:</c>) with unknown keys as errors, then
/// validating the result's data annotations: a misspelt name, an enum value the app does not know or a value out of
/// range fails here, with no list of names kept by hand.
/// </summary>
internal static class BoundOptions
{
    public static IReadOnlyDictionary<string, Type> Sections { get; } = typeof(InferenceOptions).Assembly.GetTypes()
        .Select(type => (Type: type, Field: type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)))
        .Where(x => x.Field is { IsLiteral: true } && x.Field.FieldType == typeof(string))
        .ToDictionary(x => (string)x.Field!.GetRawConstantValue()!, x => x.Type, StringComparer.OrdinalIgnoreCase);

    /// <summary>Problems with the given environment variables as settings of the app; empty when all bind and validate.</summary>
    public static IReadOnlyList<string> Check(IEnumerable<(string Name, string Value)> variables)
    {
        var problems = new List<string>();
        var settings = variables.Where(v => v.Name.Contains("__", StringComparison.Ordinal)).ToList();
        foreach (var group in settings.GroupBy(v => v.Name[..v.Name.IndexOf("__", StringComparison.Ordinal)], StringComparer.OrdinalIgnoreCase))
        {
            if (!Sections.TryGetValue(group.Key, out var type))
            {
                problems.Add($"{string.Join(", ", group.Select(v => v.Name))}: the app binds no section '{group.Key}' (it binds {string.Join(", ", Sections.Keys)}).");
                continue;
            }

            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(group.Select(v => KeyValuePair.Create(v.Name.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal), (string?)v.Value)))
                .Build();
            var options = Activator.CreateInstance(type, nonPublic: true)!;
            try
            {
                configuration.GetSection(group.Key).Bind(options, binder => binder.ErrorOnUnknownConfiguration = true);
            }
            catch (InvalidOperationException ex)
            {
                problems.Add($"{string.Join(", ", group.Select(v => v.Name))}: {ex.Message}");
                continue;
            }

            var results = new List<ValidationResult>();
            if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
            {
                problems.AddRange(results.Select(r => $"{group.Key}: {r.ErrorMessage}"));
            }
        }

        return problems;
    }
}
