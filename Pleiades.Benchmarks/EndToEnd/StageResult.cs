using System.Globalization;

namespace Pleiades.Benchmarks.EndToEnd;

/// <summary>One measured stage: how many events it moved, how fast, and what its processes cost.</summary>
internal sealed record StageResult(string Stage, long Events, StageTiming Timing, IReadOnlyList<(string Process, ProcessUsage Usage)> Processes, string Check)
{
    /// <summary>The 1-minute load average when the stage ended: above 2 on this 2-core machine, something else competed for the CPUs.</summary>
    public string LoadAverage { get; init; } = ReadLoadAverage();

    /// <summary>What the Aggregators reported about their Redis writes (batches, mean apply time), when they ran.</summary>
    public string Notes { get; init; } = "";

    public double EventsPerSecond => Events / Timing.Seconds;

    /// <summary>Checks that fail say so in capitals (WRONG, TOPIC, LOG HOLDS); passing ones start in lower case.</summary>
    public bool Passed => Check.Length > 0 && char.IsLower(Check[0]);

    public static string TableHeader =>
        "| stage | events | wall s (from start) | events/s (from start) | events/s (from first event) | events/s (second half) | services' CPU µs/event (second half) | process: CPU s, peak RSS MiB | check | load avg | notes |\n"
        + "|---|---|---|---|---|---|---|---|---|---|---|";

    public string TableRow() => string.Create(CultureInfo.InvariantCulture,
        $"| {Stage} | {Events:N0} | {Timing.Seconds:F1} | {EventsPerSecond:N0} | {Timing.EventsPerSecondFromFirstEvent:N0} | {Timing.EventsPerSecondSecondHalf:N0} | {Timing.CpuMicrosecondsPerEventSecondHalf:F1} | {string.Join("; ", Processes.Select(p => $"{p.Process}: {p.Usage.CpuSeconds:F1} s, {p.Usage.PeakRssMiB:F0} MiB"))} | {Check} | {LoadAverage} | {Notes} |");

    private static string ReadLoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];
}
