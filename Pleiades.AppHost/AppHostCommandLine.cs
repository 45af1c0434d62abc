using System.Globalization;
using System.Text;

namespace Pleiades.AppHost;

/// <summary>
/// The AppHost's own options: <c>--help</c> lists them and exits 0 before anything starts; an option it does not know
/// is one line on stderr and exit code 2. Configuration-style arguments (<c>--ConnectionStrings:kafka host:9092</c>,
/// <c>--Pleiades:Infra embedded</c>) and Aspire's own switches pass through to Aspire's command-line configuration.
/// </summary>
internal static class AppHostCommandLine
{
    public const int UsageExitCode = 2;

    private sealed record Option(string Name, string Value, string Default, string Meaning);

    private static readonly Option[] Options =
    [
        new("infra", "MODE", "auto", "containers, embedded, external or auto (containers when docker or podman answers, else embedded)"),
        new("event-log", "LOG", "file in embedded mode, else kafka", "the log between Ingest and Aggregators: file (the durable file log, one Aggregator) or kafka (the embedded broker keeps ~5 MiB per partition: small backlogs only)"),
        new("aggregators", "N", "1 with the file log, 2 with kafka", "Aggregator instances (more than 1 needs --event-log kafka)"),
        new("stream-url", "URL", "the WMF recentchange stream", "what the Ingest reads"),
        new("replay", "FILE[,FILE]", "off", "run offline: Pleiades.Replay serves these captures (.sse, .ndjson, .jsonl, .gz; relative to the repository root)"),
        new("replay-rate", "N|recorded", "50", "events per second the replay sends (recorded: the capture's own pace; 0: as fast as possible, once)"),
        new("replay-clock", "now|recorded", "now", "now: replayed events are shifted to the present and the capture loops; recorded: the exact historic replay, once"),
        new("embedded-redis-port", "P", "6380", "Garnet's port in embedded mode (0 = any free port)"),
        new("embedded-data", "DIR", "Pleiades.AppHost/.pleiades", "where embedded data lives (Garnet's counters, the file log, the Ingest's position)"),
        new("kafka-partitions", "N", "4", "partitions of pleiades-events in embedded mode"),
        new("kafka-ui", "true|false", "false", "containers mode: a Kafka UI container"),
        new("kafka-volume", "true|false", "false", "containers mode: a data volume for the broker"),
    ];

    /// <summary>
    /// Aspire's own command-line switches (its <c>aspire</c> CLI, publishing and test hosts pass them), accepted as they are.
    /// </summary>
    private static readonly HashSet<string> AspireSwitches = new(StringComparer.OrdinalIgnoreCase)
    {
        "publisher", "output-path", "operation", "step", "list-steps", "log-level", "environment", "deploy", "clear-cache",
        "include-exception-details", "non-interactive", "dcp-cli-path", "dcp-container-runtime", "dcp-dependency-check-timeout",
        "dcp-dashboard-path", "applicationName", "contentRoot",
    };

    /// <summary>
    /// Null when the AppHost should start; otherwise the exit code, after the help on <paramref name="output"/> or one
    /// line on <paramref name="error"/>.
    /// </summary>
    public static int? Check(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help" or "-help" or "-?" or "/?")
            {
                output.Write(Usage());
                return 0;
            }

            if (!arg.StartsWith('-'))
            {
                // A value, or Aspire's key=value form.
                continue;
            }

            var name = arg.TrimStart('-', '/');
            var equals = name.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0)
            {
                name = name[..equals];
            }

            var known = IsConfigurationKey(name)
                || AspireSwitches.Contains(name)
                || Array.Exists(Options, o => string.Equals(o.Name, name, StringComparison.OrdinalIgnoreCase));
            if (!known)
            {
                error.WriteLine($"pleiades-apphost: unknown option '{arg}' (see --help)");
                return UsageExitCode;
            }

            if (equals < 0)
            {
                // Its value.
                i++;
            }
        }

        return null;
    }

    /// <summary>A configuration key (<c>ConnectionStrings:kafka</c>, <c>Pleiades__Infra</c>), never one of ours misspelt.</summary>
    private static bool IsConfigurationKey(string name) =>
        name.Contains(':', StringComparison.Ordinal) || name.Contains("__", StringComparison.Ordinal);

    /// <summary>The text <c>--help</c> prints.</summary>
    public static string Usage()
    {
        var text = new StringBuilder();
        text.Append("""
            Usage: dotnet run --project Pleiades.AppHost -- [options]

            Runs Pleiades: Kafka (or the file log), Redis, the Ingest, the Aggregators and the Web, with the Aspire dashboard.

            Options (also Pleiades:<Name> in appsettings.json, Pleiades__<Name> in the environment):

            """);
        foreach (var option in Options)
        {
            text.Append(CultureInfo.InvariantCulture, $"  --{option.Name} {option.Value,-14} {option.Meaning} (default {option.Default})\n");
        }

        text.Append("""

            Configuration may also be given as arguments, e.g. --infra external with
              --ConnectionStrings:kafka broker1:9092 --ConnectionStrings:redis redis.example.org:6379
            The site is served on http://localhost:8080; the dashboard on the launch profile's URL (http://localhost:18888),
            its login URL is printed at start. Ctrl-C stops everything the AppHost started.

            """);
        return text.ToString();
    }
}
