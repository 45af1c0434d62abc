using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Pleiades.CommandLine;

/// <summary>
/// The command line of one Pleiades service: the original's flags plus the service's own, <c>--help</c>
/// (exit 0) and a one-line error on stderr with exit code 2 for anything it does not accept.
/// </summary>
public sealed class ServiceCommandLine
{
    /// <summary>Exit code for a command line the service does not accept, as Go's flag package used.</summary>
    public const int UsageExitCode = 2;

    /// <summary>How the configuration binder (reflection or source-generated) starts the message of a value it cannot convert.</summary>
    private const string BinderFailurePrefix = "Failed to convert configuration value";

    private const string VerboseFlag = "verbose";
    private const string QuietFlag = "quiet";

    private readonly string _serviceName;
    private readonly string _summary;
    private readonly List<Flag> _flags;
    private readonly List<Func<IReadOnlyDictionary<string, string?>, string?>> _checks = [];

    public ServiceCommandLine(string serviceName, string summary, IEnumerable<Flag> serviceFlags)
    {
        _serviceName = serviceName;
        _summary = summary;
        _flags =
        [
            new Flag(VerboseFlag, null, "log more (debug level); not with --quiet", IsSwitch: true, ShortName: "v"),
            new Flag(QuietFlag, null, "log only errors; not with --verbose", IsSwitch: true, ShortName: "q"),
            Flag.Port("metricsPort", "Metrics:Port", "serve Prometheus metrics and health at http://*:P/metrics (standalone default)", 9000),
            .. serviceFlags,
        ];
    }

    /// <summary>Flags known to this command line, in the order <c>--help</c> lists them.</summary>
    public IReadOnlyList<Flag> Flags => _flags;

    /// <summary>Adds a check over the parsed settings (e.g. flags that exclude each other); it returns an error message or null.</summary>
    public ServiceCommandLine WithCheck(Func<IReadOnlyDictionary<string, string?>, string?> check)
    {
        _checks.Add(check);
        return this;
    }

    /// <summary>Parses <paramref name="args"/>, printing help to <paramref name="output"/> or one error line to <paramref name="error"/>.</summary>
    public FlagParseResult Parse(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var verbose = false;
        var quiet = false;

        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help" or "-help" or "-?")
            {
                output.Write(Usage());
                return FlagParseResult.Exit(0);
            }

            if (!arg.StartsWith('-') || arg is "-" or "--")
            {
                return Fail(error, $"unexpected argument '{arg}'");
            }

            var body = arg.TrimStart('-');
            string? inlineValue = null;
            var equals = body.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0)
            {
                inlineValue = body[(equals + 1)..];
                body = body[..equals];
            }

            var flag = Find(body);
            if (flag is null)
            {
                return Fail(error, $"unknown flag '{arg}'");
            }

            string value;
            if (flag.IsSwitch)
            {
                value = inlineValue ?? "true";
                if (!bool.TryParse(value, out var on))
                {
                    return Fail(error, $"flag --{flag.Name} takes true or false, not '{value}'");
                }

                value = on ? "true" : "false";
            }
            else if (inlineValue is not null)
            {
                value = inlineValue;
            }
            else if (i + 1 < args.Count)
            {
                value = args[++i];
            }
            else
            {
                return Fail(error, $"flag --{flag.Name} needs a value");
            }

            if (flag.Validate?.Invoke(value) is { } problem)
            {
                return Fail(error, $"flag --{flag.Name}: {problem}");
            }

            switch (flag.Name)
            {
                case VerboseFlag:
                    verbose = value == "true";
                    break;
                case QuietFlag:
                    quiet = value == "true";
                    break;
                default:
                    settings[flag.ConfigurationKey!] = value;
                    break;
            }
        }

        if (verbose && quiet)
        {
            return Fail(error, "--verbose and --quiet exclude each other");
        }

        if (verbose || quiet)
        {
            var level = verbose ? "Debug" : "Error";
            settings["Logging:LogLevel:Default"] = level;
            settings["Logging:LogLevel:Pleiades"] = level;
        }

        foreach (var check in _checks)
        {
            if (check(settings) is { } problem)
            {
                return Fail(error, problem);
            }
        }

        return FlagParseResult.Run(settings);
    }

    /// <summary>Parses the process's own command line against the console; the usual entry point of a service.</summary>
    public FlagParseResult Parse(string[] args) => Parse(args, Console.Out, Console.Error);

    /// <summary>
    /// Parses <paramref name="args"/> and, when the service should run, creates its web application builder
    /// with the flags layered over every other configuration source. Otherwise returns null and the exit code.
    /// </summary>
    public WebApplicationBuilder? CreateBuilder(string[] args, out int exitCode)
    {
        var parsed = Parse(args);
        exitCode = parsed.ExitCode ?? 0;
        if (!parsed.ShouldRun)
        {
            return null;
        }

        // The raw args are not handed to ASP.NET: they are Go-style flags, translated above. The content root is the
        // program's own directory, not the working directory, so that its appsettings.json (log levels above all) is read
        // wherever the service is started from: without it every request was logged at Information level.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(parsed.Settings);
        return builder;
    }

    /// <summary>
    /// Registers the service's parts (<paramref name="addServices"/>), builds the application and checks its settings
    /// (<see cref="ValidateSettings"/>). Null, after one line on stderr and with <see cref="UsageExitCode"/>, when a
    /// setting is bad, including a value that does not convert to its setting's type while the parts are registered.
    /// </summary>
    public WebApplication? Build(WebApplicationBuilder builder, Action<WebApplicationBuilder> addServices, out int exitCode)
    {
        try
        {
            addServices(builder);
        }
        catch (Exception e) when (SettingFailures(e) is { Count: > 0 } failures)
        {
            exitCode = Reject(failures);
            return null;
        }

        var app = builder.Build();
        if (!ValidateSettings(app.Services, out exitCode))
        {
            return null;
        }

        if (ListenAddresses.FirstInUse(builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey)) is { } taken)
        {
            exitCode = Reject([AddressInUse(taken)]);
            return null;
        }

        return app;
    }

    /// <summary>
    /// Runs the service until it is stopped: 0, or <see cref="UsageExitCode"/> after one line on stderr when an address
    /// it should listen on was taken between <see cref="Build"/>'s check and the start.
    /// </summary>
    public async Task<int> RunAsync(WebApplication app)
    {
        try
        {
            await app.RunAsync();
            return 0;
        }
        catch (Exception e) when (ListenAddresses.IsAddressInUse(e))
        {
            return Reject([e.Message]);
        }
    }

    private static string AddressInUse(string url) =>
        $"cannot listen on {url}: address already in use (another process holds the port; see --help for the flag that moves it)";

    /// <summary>
    /// Checks the settings the service validates at start (its <c>ValidateOnStart</c> options and <see cref="StartupCheck"/>s)
    /// before anything runs, so that a bad value in configuration is rejected as a bad flag is: false, after one line on
    /// stderr naming every problem, with <see cref="UsageExitCode"/>. (Left to the host, it was a stack trace and an abort.)
    /// </summary>
    public bool ValidateSettings(IServiceProvider services, out int exitCode)
    {
        exitCode = 0;
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
            return true;
        }
        catch (Exception e) when (SettingFailures(e) is { Count: > 0 } failures)
        {
            exitCode = Reject(failures);
            return false;
        }
    }

    private int Reject(IEnumerable<string> failures)
    {
        Console.Error.WriteLine($"{_serviceName}: {string.Join("; ", failures.Distinct())}");
        return UsageExitCode;
    }

    /// <summary>
    /// The failures of one options class, or of several (the validator then throws them together), or the configuration
    /// binder's refusal of a value (its message names the key, the value and the type).
    /// </summary>
    private static List<string> SettingFailures(Exception exception) => exception switch
    {
        OptionsValidationException single => [.. single.Failures],
        AggregateException several when several.InnerExceptions.All(e => e is OptionsValidationException) =>
            [.. several.InnerExceptions.SelectMany(e => ((OptionsValidationException)e).Failures)],
        InvalidOperationException { InnerException: FormatException or OverflowException or ArgumentException } binding
            when binding.Message.StartsWith(BinderFailurePrefix, StringComparison.Ordinal) => [binding.Message],
        _ => [],
    };

    /// <summary>The text <c>--help</c> prints.</summary>
    public string Usage()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Usage: {_serviceName} [flags]\n\n{_summary}\n\nFlags:\n");
        foreach (var flag in _flags)
        {
            var names = flag.ShortName is null ? $"--{flag.Name}" : $"-{flag.ShortName}, --{flag.Name}";
            if (!flag.IsSwitch)
            {
                names += " VALUE";
            }

            var defaultText = flag.Default is null ? "" : $" (default {flag.Default})";
            text.Append(CultureInfo.InvariantCulture, $"  {names,-36} {flag.Help}{defaultText}\n");
        }

        text.Append("\nFlags win over configuration (appsettings.json, environment, Aspire ConnectionStrings__*).\n");
        return text.ToString();
    }

    private Flag? Find(string name) =>
        _flags.Find(f => string.Equals(f.Name, name, StringComparison.Ordinal) || string.Equals(f.ShortName, name, StringComparison.Ordinal));

    private FlagParseResult Fail(TextWriter error, string message)
    {
        error.WriteLine($"{_serviceName}: {message} (see --help)");
        return FlagParseResult.Exit(UsageExitCode);
    }
}
