using System.Globalization;

namespace ConR.Api.Imaging;

/// <summary>
/// An optional integer form field that binds whatever was sent: nothing or an empty value (Swagger UI's "Send empty
/// value") is absent, an integer is its value, and anything else is kept as text so the handler can answer a 400
/// that names the field (the framework's binding failure would be a raw "Failed to bind parameter" message).
/// </summary>
/// <param name="Value">The integer, or null when the field was absent or empty.</param>
/// <param name="Invalid">The text that was not an integer, or null.</param>
public readonly record struct FormInt(int? Value, string? Invalid)
{
    public static bool TryParse(string? text, IFormatProvider? provider, out FormInt result)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            result = default;
        }
        else if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            result = new FormInt(value, null);
        }
        else
        {
            result = new FormInt(null, text);
        }

        return true;
    }
}
