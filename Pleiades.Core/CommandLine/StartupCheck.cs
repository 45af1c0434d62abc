using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Pleiades.CommandLine;

/// <summary>
/// A check of settings that are not an options class of the service (a client's configuration, a connection string),
/// run by the startup validation with the <c>ValidateOnStart</c> options: its problems join theirs in the one line
/// <see cref="ServiceCommandLine.ValidateSettings"/> prints, before anything starts.
/// </summary>
/// <remarks>The options value itself is empty: the named options are only the hook the startup validator runs.</remarks>
public sealed class StartupCheck
{
    /// <summary>
    /// Adds the check <paramref name="name"/>: <paramref name="problems"/> lists, each in a sentence naming the setting
    /// to fix, what is wrong (nothing when all is well).
    /// </summary>
    public static void Add(IServiceCollection services, string name, Func<IServiceProvider, IEnumerable<string>> problems)
    {
        services.AddOptions<StartupCheck>(name).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StartupCheck>>(provider => new Validator(name, () => problems(provider)));
    }

    private sealed class Validator(string name, Func<IEnumerable<string>> problems) : IValidateOptions<StartupCheck>
    {
        public ValidateOptionsResult Validate(string? optionsName, StartupCheck options)
        {
            if (optionsName != name)
            {
                return ValidateOptionsResult.Skip;
            }

            var found = problems().ToList();
            return found.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(found);
        }
    }
}
