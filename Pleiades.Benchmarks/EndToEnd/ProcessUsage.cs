using System.Globalization;

namespace Pleiades.Benchmarks.EndToEnd;

/// <summary>CPU seconds (user + system) and peak RSS of a process, read from /proc.</summary>
internal readonly record struct ProcessUsage(double CpuSeconds, long PeakRssBytes)
{
    // USER_HZ: /proc counts CPU time in ticks of 1/100 s on Linux.
    private const double TicksPerSecond = 100;

    public double PeakRssMiB => PeakRssBytes / (1024.0 * 1024.0);

    public static ProcessUsage Read(int processId)
    {
        var stat = File.ReadAllText($"/proc/{processId}/stat");
        // Fields after the command name, which is in parentheses and may contain spaces.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        long peakKb = 0;
        foreach (var line in File.ReadLines($"/proc/{processId}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peakKb = long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        return new ProcessUsage(ticks / TicksPerSecond, peakKb * 1024);
    }

    public static ProcessUsage Self() => Read(Environment.ProcessId);

    /// <summary>CPU seconds of this process's children that have ended (and been waited for), e.g. a finished wrk run.</summary>
    public static double EndedChildrenCpuSeconds()
    {
        var stat = File.ReadAllText($"/proc/{Environment.ProcessId}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }
}
