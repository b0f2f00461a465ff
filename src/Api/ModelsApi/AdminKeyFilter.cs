using System.Security.Cryptography;
using System.Text;
using ConR.Api.Hosting;
using ConR.Api.Options;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace ConR.Api.ModelsApi;

/// <summary>
/// The admin route's guard: header X-Api-Key must equal Inference:AdminApiKey (401 without it, 403 when wrong or when
/// no key is configured). Both sides are hashed to 32 bytes and compared with
/// <see cref="CryptographicOperations.FixedTimeEquals"/>, so the time taken says nothing about the key, its length included.
/// </summary>
internal sealed class AdminKeyFilter(IOptions<InferenceOptions> options, ILogger<AdminKeyFilter> logger) : IEndpointFilter
{
    public const string HeaderName = "X-Api-Key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var expected = options.Value.AdminApiKey;
        if (string.IsNullOrEmpty(expected))
        {
            return Refuse(http, StatusCodes.Status403Forbidden, "Forbidden", "The admin API is disabled: set Inference:AdminApiKey to enable it.");
        }

        var given = http.Request.Headers[HeaderName].ToString();
        if (given.Length == 0)
        {
            http.Response.Headers.WWWAuthenticate = $"ApiKey header=\"{HeaderName}\"";
            return Refuse(http, StatusCodes.Status401Unauthorized, "Unauthorized", $"The admin API needs the {HeaderName} header.");
        }

        if (!Matches(given, expected))
        {
            return Refuse(http, StatusCodes.Status403Forbidden, "Forbidden", $"The {HeaderName} header does not hold the admin key.");
        }

        return await next(context);
    }

    internal static bool Matches(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(given)),
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    private ProblemHttpResult Refuse(HttpContext http, int status, string title, string detail)
    {
        Log.AdminRefused(logger, http.Request.Path.Value ?? "/", detail);
        return TypedResults.Problem(detail: detail, statusCode: status, title: title);
    }
}
