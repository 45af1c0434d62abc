using System.Globalization;
using System.Text;

namespace Pleiades.Benchmarks.Soak;

/// <summary>
/// Peak RSS of every process of one AppHost run, by role (apphost, dcp, ingest, aggregator, web, replay), sampled from
/// /proc: the processes below the AppHost's process group leader, and those whose command line or environment names
/// the run's folder or its Redis address (DCP may start services outside the AppHost's process tree).
/// </summary>
internal sealed class ProcessPeaks(string marker, string redisAddress)
{
    private readonly Dictionary<int, (string Role, long PeakBytes)> _processes = [];

    public void Sample(int rootProcessId)
    {
        var parents = new Dictionary<int, int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && Parent(pid) is { } parent)
            {
                parents[pid] = parent;
            }
        }

        foreach (var pid in parents.Keys)
        {
            if (!IsBelow(pid, rootProcessId, parents) && !Names(pid))
            {
                continue;
            }

            var role = Role(pid);
            var peak = PeakRss(pid);
            if (role is not null && peak > 0)
            {
                _processes[pid] = (role, Math.Max(peak, _processes.GetValueOrDefault(pid).PeakBytes));
            }
        }
    }

    /// <summary>The largest peak of each role, and how many processes had it.</summary>
    public IEnumerable<(string Role, int Processes, double PeakMiB)> ByRole() =>
        _processes.Values.GroupBy(p => p.Role).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Count(), g.Max(p => p.PeakBytes) / 1048576.0));

    private static bool IsBelow(int pid, int root, Dictionary<int, int> parents)
    {
        for (var depth = 0; depth < 32 && pid > 1; depth++)
        {
            if (pid == root)
            {
                return true;
            }

            if (!parents.TryGetValue(pid, out pid))
            {
                return false;
            }
        }

        return false;
    }

    private bool Names(int pid)
    {
        var text = Read($"/proc/{pid}/cmdline") + Read($"/proc/{pid}/environ");
        return text.Contains(marker, StringComparison.Ordinal) || text.Contains(redisAddress, StringComparison.Ordinal);
    }

    private static string? Role(int pid)
    {
        var command = Read($"/proc/{pid}/cmdline").Replace('\0', ' ');
        foreach (var (needle, role) in (ReadOnlySpan<(string, string)>)[
            ("Pleiades.AppHost", "apphost"), ("Pleiades.Ingest", "ingest"), ("Pleiades.Aggregator", "aggregator"),
            ("Pleiades.Web", "web"), ("Pleiades.Replay", "replay"), ("dcp", "dcp")])
        {
            if (command.Contains(needle, StringComparison.Ordinal))
            {
                return role;
            }
        }

        return null;
    }

    private static int? Parent(int pid)
    {
        var stat = Read($"/proc/{pid}/stat");
        var close = stat.LastIndexOf(')');
        return close < 0 ? null : int.Parse(stat[(close + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
    }

    private static long PeakRss(int pid)
    {
        foreach (var line in Read($"/proc/{pid}/status").Split('\n'))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }

    private static string Read(string path)
    {
        try
        {
            return Encoding.UTF8.GetString(File.ReadAllBytes(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
