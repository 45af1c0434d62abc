using Pleiades.CommandLine;

namespace Pleiades.Replay;

/// <summary>The replay server's flags.</summary>
internal static class ReplayCommandLine
{
    private const string Prefix = ReplayOptions.Section + ":";

    public static ServiceCommandLine Create() =>
        new(
                "pleiades-replay",
                "Serves a capture of the recentchange stream as Wikimedia EventStreams does (:ok, ids, Last-Event-ID, ?since=, "
                + "User-Agent check) at http://ADDR/v2/stream/recentchange, with faults on demand, for tests, benchmarks and offline runs.",
                [
                    new Flag("capture", Prefix + "Capture", "capture files, comma-separated: .sse, .ndjson, .jsonl, .json (optionally .gz)", Validate: CheckFiles),
                    // ASP.NET's own "urls" setting, which ASPNETCORE_URLS (the AppHost) also sets.
                    new Flag("listen", WebHostDefaults.ServerUrlsKey, "where to listen (URLs separated by ';')", Default: ReplayOptions.DefaultListenUrl,
                        Validate: v => v.Split(';').All(u => Uri.TryCreate(u, UriKind.Absolute, out var url) && url.Scheme == "http") ? null : "takes http:// URLs"),
                    Count("multiply", "Multiply", "serve the capture N times over, each copy with fresh meta.ids", 1),
                    new Flag("id-style", Prefix + "IdStyle", "ids carry an 'offset' (exact resume) or a 'timestamp' (resume repeats a few events)", Default: "offset",
                        Validate: v => v is "offset" or "timestamp" ? null : "takes offset or timestamp"),
                    new Flag("require-user-agent", Prefix + "RequireUserAgent", "403 for a missing, generic or contact-less User-Agent", IsSwitch: true, Default: "true"),
                    Count("drop-every", "DropEvery", "close each connection after N events (0: never)", 0),
                    new Flag("drop-abruptly", Prefix + "DropAbruptly", "drop by resetting the TCP connection instead of ending the response", IsSwitch: true),
                    Count("stall-after", "StallAfter", "go silent after N events of each connection (0: never)", 0),
                    new Flag("stall-for", Prefix + "StallFor", "how long a stall lasts (hh:mm:ss)", Default: "00:00:30",
                        Validate: v => TimeSpan.TryParse(v, System.Globalization.CultureInfo.InvariantCulture, out _) ? null : "takes a duration hh:mm:ss"),
                    Count("fail-status", "FailStatus", "answer the first --fail-count requests with this HTTP status (429, 500, 403, ...)", 0),
                    Count("fail-count", "FailCount", "how many requests fail", 0),
                    new Flag("rate", Prefix + "Rate", "events per second per connection (0: unlimited)", Default: "0",
                        Validate: v => double.TryParse(v, System.Globalization.CultureInfo.InvariantCulture, out var r) && r >= 0 ? null : "takes a non-negative number"),
                    new Flag("pace", Prefix + "Pace", "'even' (--rate events/s, evenly) or 'recorded' (the capture's own spacing, scaled to --rate when it is set)", Default: "even",
                        Validate: v => v is "even" or "recorded" ? null : "takes even or recorded"),
                    new Flag("clock", Prefix + "Clock", "'recorded' (event and id times as captured) or 'now' (shifted to the present, keeping order and spacing)", Default: "recorded",
                        Validate: v => v is "recorded" or "now" ? null : "takes recorded or now"),
                    new Flag("loop", Prefix + "Loop", "serve the capture over and over without end, each copy with fresh meta.ids", IsSwitch: true),
                    new Flag("close-at-end", Prefix + "CloseAtEnd", "close the connection after the last event instead of holding it open", IsSwitch: true),
                ]);

    private static Flag Count(string name, string key, string help, int defaultValue) =>
        new(name, Prefix + key, help, Default: defaultValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Validate: v => int.TryParse(v, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _) ? null : "takes a non-negative integer");

    private static string? CheckFiles(string value) =>
        value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(f => !File.Exists(f)) is { } missing
            ? $"no such file '{missing}'"
            : null;
}
