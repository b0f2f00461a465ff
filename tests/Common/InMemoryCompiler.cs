using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ConR.Tests.Common;

/// <summary>
/// Compiles C# source that a test did not write itself (a generated client, a README snippet) against everything the
/// test host loads, and loads the result into <c>context</c>; a compile error fails the test with its first diagnostics.
/// Linked into each test project that needs it.
/// </summary>
internal static class InMemoryCompiler
{
    public static Assembly Compile(string assemblyName, string code, AssemblyLoadContext context, NullableContextOptions nullable)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(path => path.EndsWith(".dll", StringComparison.Ordinal))
            .Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create(
            assemblyName,
            [CSharpSyntaxTree.ParseText(code)],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: nullable));
        using var output = new MemoryStream();
        var result = compilation.Emit(output);
        Xunit.Assert.True(result.Success, string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(10)));
        output.Position = 0;
        return context.LoadFromStream(output);
    }
}
