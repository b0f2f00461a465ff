using Microsoft.Extensions.Options;

namespace ConR.Api.Hosting;

internal static class SettingsBinding
{
    /// <summary>
    /// Binds <typeparamref name="TOptions"/> to a configuration section, like <c>BindConfiguration</c>, except that a
    /// value the binder cannot convert (<c>Inference__Device=gpu</c>, <c>Inference__MaxBatchSize=sixteen</c>) fails as a
    /// validation error: the process then exits with the message and code 2 (<see cref="InvalidSettingsExit"/>) rather
    /// than aborting with the binder's InvalidOperationException and a stack trace.
    /// </summary>
    public static OptionsBuilder<TOptions> BindSettings<TOptions>(this OptionsBuilder<TOptions> builder, string section)
        where TOptions : class =>
        builder.Configure<IConfiguration>((options, configuration) =>
        {
            try
            {
                configuration.GetSection(section).Bind(options);
            }
            catch (InvalidOperationException e)
            {
                // The binder's message names the key and the type; its inner exception says what was wrong with the value.
                var reason = e.InnerException is { } inner ? $"{e.Message} {inner.Message}" : e.Message;
                throw new OptionsValidationException(section, typeof(TOptions), [reason]);
            }
        });
}
