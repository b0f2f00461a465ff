using ConR.Api.Age;
using ConR.Api.Depth;
using ConR.Api.Errors;
using ConR.Api.Hosting;
using ConR.Api.KServe;
using ConR.Api.Metrics;
using ConR.Api.ModelsApi;

// A wrong setting ends the process with its message and exit code 2, not a stack trace
InvalidSettingsExit.Install();

var builder = WebApplication.CreateBuilder(args);

// Models: options (validated at start), ONNX sessions, the registry with atomic swap, warm-up at start
builder.Services.AddConRInference();

// Upload limits: per-endpoint body limits and per-part form limits
builder.Services.AddRequestBodyLimits();

// Errors: ProblemDetails for every failure
builder.Services.AddApiProblemDetails();

// Rate limiting: a token bucket per client IP (429)
builder.Services.AddClientRateLimiting();

// Metrics (System.Diagnostics.Metrics, also as Prometheus text at /metrics) and traces; OTLP export when configured
builder.Services.AddApiTelemetry(builder.Configuration);

// OpenAPI document and Swagger UI
builder.Services.AddApiDocumentation();

var app = builder.Build();

app.UseApiMetrics();
app.UseApiProblemDetails();
app.UseRequestBodyLimits();
app.UseRateLimiter();
app.UseApiDocumentation();

// The demo page at / (src/Api/wwwroot: plain HTML and JavaScript calling the public API, no build step)
app.UseDefaultFiles();
app.UseStaticFiles();

app.MapAgeEndpoints();
app.MapDepthEndpoints();
app.MapModelEndpoints();
app.MapKServeEndpoints();
app.MapMetricsEndpoint();

app.Run();
