using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ConR.Shared.Metrics;
using Microsoft.AspNetCore.Mvc;

namespace ConR.Api.Tests.Support;

internal static class Multipart
{
    // As the API writes: web defaults, NaN (a coverage or width where no test sample fell) as null.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new NanAsNullConverter() } };

    /// <summary>A multipart form with one file field and optional text fields.</summary>
    public static MultipartFormDataContent Image(byte[] bytes, string field = "image", string contentType = "image/png", params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        form.Add(file, field, "upload");
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }

        return form;
    }

    /// <summary>A multipart form with several files under one field name.</summary>
    public static MultipartFormDataContent Images(IEnumerable<byte[]> images, string field = "image")
    {
        var form = new MultipartFormDataContent();
        var i = 0;
        foreach (var bytes in images)
        {
            var file = new ByteArrayContent(bytes);
            file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            form.Add(file, field, $"upload{i++}.png");
        }

        return form;
    }

    /// <summary>The ProblemDetails of an error response, asserting its status and content type.</summary>
    public static async Task<ProblemDetails> ProblemAsync(this HttpResponseMessage response, int status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.NotNull(problem);
        Assert.Equal(status, problem.Status);
        return problem;
    }

    public static async Task<T> OkAsync<T>(this HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"expected success, got {(int)response.StatusCode}: {body}");
        return (await response.Content.ReadFromJsonAsync<T>(Json))!;
    }
}
