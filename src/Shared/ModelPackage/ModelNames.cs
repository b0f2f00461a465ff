using System.Text.RegularExpressions;

namespace ConR.Shared.ModelPackage;

/// <summary>
/// What a model name may be: it is a folder of the model repository and a segment of the API's routes
/// (<c>/v1/models/{name}</c>, <c>/v2/models/{name}</c>), so only lowercase letters, digits, '.', '_' and '-', starting
/// with a letter or digit, at most 64 characters.
/// </summary>
public static partial class ModelNames
{
    /// <summary>The longest name accepted.</summary>
    public const int MaxLength = 64;

    /// <summary>Whether <paramref name="name"/> is a valid model name.</summary>
    /// <param name="name">The candidate name.</param>
    public static bool IsValid(string? name) => name is not null && Pattern().IsMatch(name);

    /// <summary>Why <paramref name="name"/> is not a valid model name, or null when it is.</summary>
    /// <param name="name">The candidate name.</param>
    public static string? Problem(string? name) => IsValid(name)
        ? null
        : $"model name '{name}' is not valid: use 1-{MaxLength} lowercase letters, digits, '.', '_' or '-', starting with a letter or digit (it becomes a folder and a URL segment)";

    [GeneratedRegex(@"\A[a-z0-9][a-z0-9._-]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
