using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ConR.Api.Depth;
using ConR.Api.Imaging;
using ConR.Api.ModelsApi;
using ConR.Api.Options;
using ConR.Shared.Calibration;
using ConR.Shared.Metrics;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ConR.Api.Hosting;

internal static class OpenApiSetup
{
    public const string DocumentName = "v1";

    /// <summary>The OpenAPI document (Swashbuckle, from ApiExplorer and the handlers' XML docs) and its admin key scheme.</summary>
    public static IServiceCollection AddApiDocumentation(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc(DocumentName, new OpenApiInfo
            {
                Title = "ConR inference API",
                Version = DocumentName,
                Description =
                    "Age estimates and depth maps with calibrated intervals and per-range reliability (training shot, " +
                    "validation error), served from ONNX model packages. Also a KServe v2 (Open Inference Protocol) subset, " +
                    "Prometheus metrics at /metrics, and an admin route to load new model versions. Every error is a " +
                    "ProblemDetails (RFC 9457).",
            });
            var xml = Path.Combine(AppContext.BaseDirectory, "ConR.Api.xml");
            if (File.Exists(xml))
            {
                options.IncludeXmlComments(xml);
            }

            options.AddSecurityDefinition(AdminKeyFilter.HeaderName, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = AdminKeyFilter.HeaderName,
                Description = "The admin key (Inference:AdminApiKey), for POST /v1/models/{name}/load.",
            });
            options.OperationFilter<AdminKeyOperationFilter>();
            options.OperationFilter<PngResponseOperationFilter>();
            options.SchemaFilter<NanAsNullSchemaFilter>();
            options.SchemaFilter<NullableReferenceSchemaFilter>();
            options.OperationFilter<OptionalFormFieldsOperationFilter>();

            options.OperationFilter<QueryChoicesOperationFilter>();

            // Free-form JSON (the card's task extras) is an object, not System.Text.Json's node classes.
            options.MapType<JsonObject>(() => new OpenApiSchema { Type = JsonSchemaType.Object, AdditionalPropertiesAllowed = true });

            // Optional integer form fields bind through FormInt (empty = absent); clients see a nullable integer.
            options.MapType<FormInt>(() => new OpenApiSchema { Type = JsonSchemaType.Integer | JsonSchemaType.Null, Format = "int32" });
        });
        return services;
    }

    /// <summary>GET /swagger/v1/swagger.json and Swagger UI at /swagger.</summary>
    public static WebApplication UseApiDocumentation(this WebApplication app)
    {
        app.UseSwagger();
        app.UseSwaggerUI(options =>
        {
            options.SwaggerEndpoint($"/swagger/{DocumentName}/swagger.json", "ConR inference API");
            options.RoutePrefix = "swagger";
        });
        return app;
    }

    // The depth endpoint answers JSON or, with format=png16|colormap, a PNG: document both under 200.
    private sealed class PngResponseOperationFilter : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            var png = context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<PngResponseMetadata>().FirstOrDefault();
            if (png is not null && operation.Responses?.TryGetValue("200", out var ok) == true && ok is OpenApiResponse response)
            {
                // A PNG-only operation describes nothing else, so generated clients return the bytes (NSwag: FileResponse).
                response.Content = png.Only ? new Dictionary<string, IOpenApiMediaType>() : response.Content ?? new Dictionary<string, IOpenApiMediaType>();
                response.Content["image/png"] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } };
            }
        }
    }

    // Metrics of empty groups are NaN, written as null (NanAsNullConverter): say so in the schema, or generated
    // clients fail on the null. Covers the card's [JsonConverter]-marked doubles and its coverage dictionaries.
    private sealed class NanAsNullSchemaFilter : ISchemaFilter
    {
        public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
        {
            if (schema is not OpenApiSchema concrete)
            {
                return;
            }

            if (concrete.AdditionalProperties is OpenApiSchema values && IsDoubleDictionary(context.Type))
            {
                values.Type |= JsonSchemaType.Null;
            }

            if (concrete.Properties is null)
            {
                return;
            }

            foreach (var property in context.Type.GetProperties())
            {
                var nanAsNull = property.GetCustomAttributes(typeof(JsonConverterAttribute), inherit: true)
                    .OfType<JsonConverterAttribute>()
                    .Any(a => a.ConverterType == typeof(NanAsNullConverter));
                var name = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
                if (concrete.Properties.TryGetValue(name, out var member) && member is OpenApiSchema memberSchema)
                {
                    if (nanAsNull)
                    {
                        memberSchema.Type |= JsonSchemaType.Null;
                    }
                    else if (memberSchema.AdditionalProperties is OpenApiSchema dictionaryValues && IsDoubleDictionary(property.PropertyType))
                    {
                        dictionaryValues.Type |= JsonSchemaType.Null;
                    }
                }
            }
        }

        private static bool IsDoubleDictionary(Type type) =>
            type.IsGenericType && type.GetGenericArguments() is [_, var value] && value == typeof(double)
            && typeof(System.Collections.IEnumerable).IsAssignableFrom(type);
    }

    // A property of a nullable reference type whose schema is a reference (MetricsCard.val, null in the depth card)
    // must say it may be null: a sibling "nullable" is ignored next to $ref in OpenAPI 3.0, so it becomes
    // allOf [ref] + nullable, which generated clients (NSwag with Newtonsoft) read as an optional object.
    private sealed class NullableReferenceSchemaFilter : ISchemaFilter
    {
        private static readonly System.Reflection.NullabilityInfoContext Nullability = new();

        public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
        {
            if (schema is not OpenApiSchema { Properties: { } properties } || context.Type.IsPrimitive)
            {
                return;
            }

            foreach (var property in context.Type.GetProperties())
            {
                var name = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
                if (properties.TryGetValue(name, out var member) && member is OpenApiSchemaReference reference
                    && Nullability.Create(property).ReadState == System.Reflection.NullabilityState.Nullable)
                {
                    properties[name] = new OpenApiSchema { AllOf = [reference], Type = JsonSchemaType.Null };
                }
            }
        }
    }

    // Optional form fields (int? x) must be nullable in the multipart schema, or generated clients demand them.
    private sealed class OptionalFormFieldsOperationFilter : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            var optional = context.ApiDescription.ParameterDescriptions
                .Where(p => !p.IsRequired || p.ModelMetadata?.IsNullableValueType == true || (p.Type is { } type && Nullable.GetUnderlyingType(type) is not null))
                .Select(p => p.Name)
                .ToHashSet(StringComparer.Ordinal);
            if (optional.Count == 0 || operation.RequestBody?.Content is not { } content)
            {
                return;
            }

            foreach (var media in content.Values)
            {
                if (media.Schema is OpenApiSchema { Properties: { } properties })
                {
                    foreach (var (name, property) in properties)
                    {
                        if (optional.Contains(name) && property is OpenApiSchema field)
                        {
                            field.Type |= JsonSchemaType.Null;
                        }
                    }
                }
            }
        }
    }

    // Query parameters with a fixed set of values are enums, so Swagger UI offers a dropdown and clients an enum type.
    private sealed class QueryChoicesOperationFilter : IOperationFilter
    {
        private static readonly Dictionary<string, string[]> Choices = new(StringComparer.Ordinal)
        {
            ["level"] = [.. InferenceOptions.Levels.Select(CalibrationOptions.LevelKey)],
            ["format"] = [DepthEndpoints.Json, DepthEndpoints.Png16, DepthEndpoints.Colormap],
            ["mix"] = [.. LabelMix.All],
        };

        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            foreach (var parameter in operation.Parameters ?? [])
            {
                if (parameter is OpenApiParameter { In: ParameterLocation.Query, Schema: OpenApiSchema schema } query
                    && query.Name is { } name && Choices.TryGetValue(name, out var values))
                {
                    schema.Enum = [.. values.Select(v => (System.Text.Json.Nodes.JsonNode)System.Text.Json.Nodes.JsonValue.Create(v))];
                }
            }
        }
    }

    // Puts the X-Api-Key requirement on the admin operations only, so Swagger UI sends the key there.
    private sealed class AdminKeyOperationFilter : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            if (context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<AdminEndpointMetadata>().Any())
            {
                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement
                {
                    [new OpenApiSecuritySchemeReference(AdminKeyFilter.HeaderName, context.Document)] = [],
                });
            }
        }
    }
}

/// <summary>Marks an endpoint that can also answer 200 with a PNG image.</summary>
/// <param name="Only">The 200 answer is a PNG and nothing else.</param>
internal sealed record PngResponseMetadata(bool Only = false);
