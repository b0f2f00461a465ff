using ConR.Api.Models;
using Microsoft.Extensions.Options;

namespace ConR.Api.Options;

// Rules that data annotations cannot say: the repository must exist and hold the models to serve, and the
// limits must fit together. Runs at start (ValidateOnStart), so a wrong path stops the service with its name.
internal sealed class InferenceOptionsValidator(IHostEnvironment environment) : IValidateOptions<InferenceOptions>
{
    public ValidateOptionsResult Validate(string? name, InferenceOptions options)
    {
        var problems = new List<string>();
        var root = ModelRepositoryLayout.Resolve(options.ModelRepository ?? string.Empty, environment.ContentRootPath);
        if (!Directory.Exists(root))
        {
            problems.Add($"Inference:ModelRepository '{root}' does not exist: export a package there (conr-train export --repo {root} --name age) or point Inference:ModelRepository at a repository.");
        }
        else
        {
            CheckModels(options, root, problems);
        }

        if (options.MaxQueueLength < options.MaxBatchSize)
        {
            problems.Add($"Inference:MaxQueueLength ({options.MaxQueueLength}) must be at least Inference:MaxBatchSize ({options.MaxBatchSize}).");
        }

        if (!string.IsNullOrEmpty(options.AdminApiKey) && options.AdminApiKey.Trim().Length < 16)
        {
            problems.Add("Inference:AdminApiKey must have at least 16 characters (or be left unset to disable the admin route).");
        }

        foreach (var (setting, model) in new[] { ("AgeModel", options.AgeModel), ("DepthModel", options.DepthModel) })
        {
            if (!ModelRepositoryLayout.IsValidName(model))
            {
                problems.Add($"Inference:{setting} '{model}' is not a plain folder name.");
            }
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private void CheckModels(InferenceOptions options, string root, List<string> problems)
    {
        var layout = new ModelRepositoryLayout(Microsoft.Extensions.Options.Options.Create(options), environment);
        if (options.Models.Count == 0)
        {
            if (layout.ModelNames().Count == 0)
            {
                problems.Add($"Inference:ModelRepository '{root}' holds no model (expected NAME/VERSION/model.onnx + model.json, e.g. age/1/).");
            }

            return;
        }

        foreach (var model in options.Models)
        {
            if (!ModelRepositoryLayout.IsValidName(model))
            {
                problems.Add($"Inference:Models lists '{model}', which is not a plain folder name.");
            }
            else if (layout.Versions(model).Count == 0)
            {
                problems.Add($"Inference:Models lists '{model}', but '{Path.Combine(root, model)}' has no version folder (1, 2, ...).");
            }
        }
    }
}
