using System.Reflection;
using System.Runtime.Loader;
using ConR.Api.Tests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NJsonSchema.CodeGeneration.CSharp;
using NSwag.CodeGeneration.CSharp;
using NSwag.CodeGeneration.OperationNameGenerators;

namespace ConR.Api.Tests.OpenApi;

/// <summary>The OpenAPI document is good enough for a generated client: NSwag writes one, Roslyn compiles it, and it works.</summary>
public sealed class GeneratedClientTests
{
    [Theory]
    [InlineData(CSharpJsonLibrary.SystemTextJson)]
    [InlineData(CSharpJsonLibrary.NewtonsoftJson)]
    public async Task NSwagClient_FromTheDocument_CompilesAndCallsTheApi(CSharpJsonLibrary library)
    {
        await using var app = new ApiApplication();
        using var http = await app.StartReadyAsync();
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
            var assembly = Compile(code, context);
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

            var live = (await CallAsync(client, "V2LiveAsync"))!;
            Assert.True((bool)live.GetType().GetProperty("Live")!.GetValue(live)!);
        }
        finally
        {
            context.Unload();
        }
    }

    private static Assembly Compile(string code, AssemblyLoadContext context)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(path => path.EndsWith(".dll", StringComparison.Ordinal))
            .Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create(
            "GeneratedClient",
            [CSharpSyntaxTree.ParseText(code)],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Disable));
        using var output = new MemoryStream();
        var result = compilation.Emit(output);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(10)));
        output.Position = 0;
        return context.LoadFromStream(output);
    }

    // Calls the generated method without a CancellationToken, passing named arguments and null for the rest.
    private static async Task<object?> CallAsync(object client, string name, params (string Name, object? Value)[] arguments)
    {
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
