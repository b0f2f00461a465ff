using System.Reflection;
using System.Runtime.Loader;
using ConR.Api.Tests.Support;
using ConR.Tests.Common;
using Microsoft.CodeAnalysis;
using NJsonSchema.CodeGeneration.CSharp;
using NSwag.CodeGeneration.CSharp;
using NSwag.CodeGeneration.OperationNameGenerators;

namespace ConR.Api.Tests.OpenApi;

/// <summary>
/// The OpenAPI document is good enough for a generated client: NSwag writes one, Roslyn compiles it, and it calls every
/// operation in the document (the test fails if an operation is added that it does not call).
/// </summary>
public sealed class GeneratedClientTests
{
    private readonly HashSet<string> called = [];

    [Theory]
    [InlineData(CSharpJsonLibrary.SystemTextJson)]
    [InlineData(CSharpJsonLibrary.NewtonsoftJson)]
    public async Task NSwagClient_FromTheDocument_CompilesAndCallsTheApi(CSharpJsonLibrary library)
    {
        await using var app = new ApiApplication();
        using var http = await app.StartReadyAsync();

        // The admin key is a security scheme in the document, which NSwag leaves to the HttpClient, as users would.
        http.DefaultRequestHeaders.Add("X-Api-Key", ApiApplication.AdminKey);
        var document = await NSwag.OpenApiDocument.FromJsonAsync(await http.GetStringAsync("/swagger/v1/swagger.json"));
        var code = new CSharpClientGenerator(document, new CSharpClientGeneratorSettings
        {
            ClassName = "ConRClient",
            UseBaseUrl = false,
            GenerateClientInterfaces = false,
            OperationNameGenerator = new SingleClientFromOperationIdOperationNameGenerator(),
            CSharpGeneratorSettings = { Namespace = "Generated", JsonLibrary = library },
        }).GenerateFile();

        var context = new AssemblyLoadContext("generated-client", isCollectible: true);
        try
        {
            var assembly = InMemoryCompiler.Compile("GeneratedClient", code, context, NullableContextOptions.Disable);
            var client = Activator.CreateInstance(assembly.GetType("Generated.ConRClient")!, http)!;

            var models = (System.Collections.IEnumerable)(await CallAsync(client, "ListModelsAsync"))!;
            Assert.Equal(2, models.Cast<object>().Count());
            foreach (var name in new[] { "age", "depth" })
            {
                // The depth card has no val/test DIR tables (null): the schema must let a client read that.
                var model = (await CallAsync(client, "GetModelAsync", ("name", name)))!;
                Assert.NotNull(model);
            }

            var image = Activator.CreateInstance(assembly.GetType("Generated.FileParameter")!, new MemoryStream(TestImages.Png()), "face.png", "image/png")!;
            var answer = (await CallAsync(client, "EstimateAgeAsync", ("image", image), ("level", "0.95")))!;
            Assert.InRange((double)answer.GetType().GetProperty("Age")!.GetValue(answer)!, 1, 60);
            var interval = answer.GetType().GetProperty("Interval")!.GetValue(answer)!;
            Assert.Equal(0.95, (double)interval.GetType().GetProperty("Level")!.GetValue(interval)!);

            var room = Activator.CreateInstance(assembly.GetType("Generated.FileParameter")!, new MemoryStream(TestImages.Png()), "room.png", "image/png")!;
            var depth = (await CallAsync(client, "EstimateDepthAsync", ("image", room), ("format", "json")))!;
            Assert.Equal("metres", depth.GetType().GetProperty("Units")!.GetValue(depth));

            // The PNG answers have operations of their own, which generated clients return as bytes.
            foreach (var operation in new[] { "EstimateDepthPng16Async", "EstimateDepthColormapAsync" })
            {
                var upload = Activator.CreateInstance(assembly.GetType("Generated.FileParameter")!, new MemoryStream(TestImages.Png()), "room.png", "image/png")!;
                using var file = (IDisposable)(await CallAsync(client, operation, ("image", upload)))!;
                var stream = (Stream)file.GetType().GetProperty("Stream")!.GetValue(file)!;
                var signature = new byte[8];
                await stream.ReadExactlyAsync(signature);
                Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], signature);
            }

            var batch = Array.CreateInstance(assembly.GetType("Generated.FileParameter")!, 2);
            for (var i = 0; i < 2; i++)
            {
                batch.SetValue(Activator.CreateInstance(assembly.GetType("Generated.FileParameter")!, new MemoryStream(TestImages.Png()), $"face{i}.png", "image/png"), i);
            }

            var ages = (System.Collections.IEnumerable)(await CallAsync(client, "EstimateAgesAsync", ("image", batch)))!;
            Assert.Equal(2, ages.Cast<object>().Count());

            var loaded = await CallAsync(client, "LoadModelAsync", ("name", "age"), ("version", "1"));
            Assert.Equal(1, (int)Property(loaded, "Version"));

            var live = (await CallAsync(client, "V2LiveAsync"))!;
            Assert.True((bool)live.GetType().GetProperty("Live")!.GetValue(live)!);
            Assert.True((bool)Property(await CallAsync(client, "V2ReadyAsync"), "Ready"));
            Assert.Equal("conr-api", Property(await CallAsync(client, "V2ServerMetadataAsync"), "Name"));
            Assert.Equal("age", Property(await CallAsync(client, "V2ModelMetadataAsync", ("name", "age")), "Name"));
            Assert.True((bool)Property(await CallAsync(client, "V2ModelReadyAsync", ("name", "age")), "Ready"));
            Assert.Equal("age", Property(await CallAsync(client, "V2ModelVersionMetadataAsync", ("name", "age"), ("version", "1")), "Name"));
            Assert.True((bool)Property(await CallAsync(client, "V2ModelVersionReadyAsync", ("name", "age"), ("version", "1")), "Ready"));

            var inferred = await CallAsync(client, "V2InferAsync", ("name", "age"), ("body", InferRequest(assembly)));
            var versioned = await CallAsync(client, "V2VersionInferAsync", ("name", "age"), ("version", "1"), ("body", InferRequest(assembly)));
            foreach (var response in new[] { inferred, versioned })
            {
                var output = ((System.Collections.IEnumerable)Property(response, "Outputs")).Cast<object>().Single();
                Assert.Single(((System.Collections.IEnumerable)Property(output, "Data")).Cast<object>());
            }

            var metrics = await CallAsync(client, "GetMetricsAsync");
            Assert.NotNull(metrics);
            (metrics as IDisposable)?.Dispose();

            var operations = document.Operations.Select(o => o.Operation.OperationId + "Async").ToHashSet();
            Assert.Empty(operations.Except(called));
        }
        finally
        {
            context.Unload();
        }
    }

    private static object Property(object? value, string name) =>
        value!.GetType().GetProperty(name)?.GetValue(value) ?? throw new InvalidOperationException($"{value.GetType().Name}.{name} is null or missing.");

    // A KServe v2 request for the fixture age model (3x16x16), built from the generated types.
    private static object InferRequest(Assembly assembly)
    {
        var inputType = assembly.GetType("Generated.InferInput")!;
        var input = Activator.CreateInstance(inputType)!;
        inputType.GetProperty("Name")!.SetValue(input, "image");
        inputType.GetProperty("Datatype")!.SetValue(input, "FP32");
        inputType.GetProperty("Shape")!.SetValue(input, new List<long> { 1, 3, 16, 16 });
        inputType.GetProperty("Data")!.SetValue(input, Enumerable.Repeat(0.1f, 3 * 16 * 16).ToList());
        var inputs = (System.Collections.IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(inputType))!;
        inputs.Add(input);
        var requestType = assembly.GetType("Generated.InferRequest")!;
        var request = Activator.CreateInstance(requestType)!;
        requestType.GetProperty("Id")!.SetValue(request, "generated");
        requestType.GetProperty("Inputs")!.SetValue(request, inputs);
        return request;
    }

    // Calls the generated method without a CancellationToken, passing named arguments and null for the rest.
    private async Task<object?> CallAsync(object client, string name, params (string Name, object? Value)[] arguments)
    {
        called.Add(name);
        var method = client.GetType().GetMethods().Single(m => m.Name == name && m.GetParameters().All(p => p.ParameterType != typeof(CancellationToken)));
        var values = method.GetParameters().Select(p => Convert(arguments.FirstOrDefault(a => a.Name == p.Name).Value, p.ParameterType)).ToArray();
        var task = (Task)method.Invoke(client, values)!;
        await task;
        return task.GetType().GetProperty("Result")?.GetValue(task);
    }

    // A query parameter with fixed choices is a generated enum: pick the member whose wire value is the given text.
    private static object? Convert(object? value, Type parameterType)
    {
        var type = Nullable.GetUnderlyingType(parameterType) ?? parameterType;
        if (value is not string text || !type.IsEnum)
        {
            return value;
        }

        var member = type.GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Single(f => f.GetCustomAttributesData().Any(a => a.AttributeType.Name == "EnumMemberAttribute"
                && a.NamedArguments.Any(n => n.MemberName == "Value" && (string?)n.TypedValue.Value == text)));
        return member.GetValue(null);
    }
}
