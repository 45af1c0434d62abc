using System.Globalization;

namespace Pleiades.Benchmarks.Soak;

/// <summary>The soak command's options (see the usage text in Program.cs).</summary>
internal sealed record SoakOptions(long Events, string EventLog, double? StopAt, TimeSpan StallTimeout, bool Keep)
{
    public static SoakOptions Parse(string[] args)
    {
        var values = new CommandOptions(args, "events", "event-log", "stop-at", "stall-seconds", "keep");
        var eventLog = values.Text("event-log", "file");
        double? stopAt = values.Text("stop-at") is { } text
            ? double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var fraction) && fraction is > 0 and < 1
                ? fraction
                : throw new UsageException($"--stop-at takes a fraction of the events between 0 and 1, not '{text}'")
            : null;
        return eventLog is "file" or "kafka"
            ? new SoakOptions(values.Number("events", 1_000_000), eventLog, stopAt,
                TimeSpan.FromSeconds(values.Number("stall-seconds", 180)), values.Text("keep", "false") == "true")
            : throw new UsageException("--event-log takes file or kafka");
    }
}
