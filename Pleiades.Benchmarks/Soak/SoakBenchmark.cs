using System.Diagnostics;
using System.Globalization;
using Pleiades.Benchmarks.Data;
using Pleiades.Counters;
using Pleiades.Hosting.Infrastructure;
using StackExchange.Redis;

namespace Pleiades.Benchmarks.Soak;

/// <summary>
/// The soak: a capture of real-shaped events served by Pleiades.Replay at full speed through
/// <c>dotnet run --project Pleiades.AppHost</c> in embedded mode, as a user runs it, until every day's total in Garnet
/// equals the count over the capture (or nothing moves for the stall timeout). Optionally stops the AppHost with
/// Ctrl+C part way and starts it again on the same data folder. Prints events/s, peak RSS per process and the
/// embedded data folder's size; exits 1 when the totals are not exact.
/// </summary>
internal static class SoakBenchmark
{
    private static readonly TimeSpan SampleInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ReportInterval = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(90);

    public static async Task<int> RunAsync(string[] args)
    {
        var options = SoakOptions.Parse(args);
        var root = Directory.CreateTempSubdirectory("pleiades-soak-").FullName;
        var capturePath = Path.Combine(root, "capture.ndjson");
        var dataDirectory = Path.Combine(root, "data");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"soak: {options.Events:N0} events, embedded mode, --event-log {options.EventLog}{(options.StopAt is { } f ? $", stopped at {f:P0} and restarted" : "")}, in {root}"));
        var expected = CaptureFile.Write(capturePath, options.Events);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"capture: {new FileInfo(capturePath).Length / 1048576.0:F0} MiB, {expected.Total:N0} events over {expected.Days.Count} days"));

        var redisPort = FreePort.Next();
        string[] appHostArgs =
        [
            "--infra", "embedded", "--event-log", options.EventLog, "--embedded-data", dataDirectory,
            "--embedded-redis-port", redisPort.ToString(CultureInfo.InvariantCulture), "--replay", capturePath, "--replay-rate", "0",
        ];
        var peaks = new ProcessPeaks(root, $"127.0.0.1:{redisPort}");
        var logPath = Path.Combine(root, "apphost.log");
        Console.WriteLine($"command: dotnet run --project Pleiades.AppHost --no-build --no-launch-profile -- {string.Join(' ', appHostArgs)}");

        var clock = Stopwatch.StartNew();
        var apphost = AppHostRun.Start(appHostArgs, logPath);
        long counted = 0;
        TimeSpan? firstCounted = null;
        TimeSpan? stoppedFor = null;
        var lastProgress = clock.Elapsed;
        var lastReport = TimeSpan.Zero;
        ConnectionMultiplexer? redis = null;
        try
        {
            while (true)
            {
                await Task.Delay(SampleInterval);
                peaks.Sample(apphost.ProcessId);
                redis ??= await TryConnectAsync(redisPort);
                if (redis is not null && await TryReadTotalAsync(redis) is { } total)
                {
                    if (total != counted)
                    {
                        counted = total;
                        lastProgress = clock.Elapsed;
                        firstCounted ??= clock.Elapsed;
                    }

                    if (total >= expected.Total)
                    {
                        break;
                    }
                }

                if (clock.Elapsed - lastReport >= ReportInterval)
                {
                    lastReport = clock.Elapsed;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {clock.Elapsed.TotalSeconds,6:F0} s: {counted,10:N0} counted"));
                }

                if (options.StopAt is { } fraction && stoppedFor is null && counted >= fraction * expected.Total)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {clock.Elapsed.TotalSeconds,6:F0} s: {counted,10:N0} counted; stopping the AppHost (SIGTERM to its process group)"));
                    redis?.Dispose();
                    redis = null;
                    stoppedFor = await apphost.StopAsync(StopTimeout);
                    apphost.Dispose();
                    var gone = await WaitForServicesToEndAsync(peaks);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  the AppHost exited {stoppedFor.Value.TotalSeconds:F1} s after SIGTERM, its services {gone.TotalSeconds:F1} s after that; starting it again on the same data folder"));
                    apphost = AppHostRun.Start(appHostArgs, logPath);
                    lastProgress = clock.Elapsed;
                }

                // Starting takes a while on a loaded machine (DCP, Garnet, four services): the first count gets longer.
                var allowed = firstCounted is null ? options.StallTimeout * 3 : options.StallTimeout;
                if (clock.Elapsed - lastProgress > allowed || apphost.HasExited)
                {
                    Console.WriteLine(apphost.HasExited ? "soak: the AppHost exited on its own" : $"soak: nothing counted for {allowed.TotalSeconds:F0} s");
                    break;
                }
            }

            var wall = clock.Elapsed;
            var final = redis is null ? null : await TryReadDaysAsync(redis, expected);
            var exact = final is not null && expected.Days.All(d => final.GetValueOrDefault(d.Key) == d.Value)
                && await AllTimeMatchesAsync(redis!, expected);
            if (redis is not null)
            {
                // What the Aggregators recorded as lost (docs/redis-keys.md): what /api/status and the dashboard show.
                var status = await redis.GetDatabase().HashGetAllAsync(RedisKeys.Status);
                Console.WriteLine("pleiades:status: " + string.Join(", ", status.Select(e => $"{e.Name}={e.Value}")));
            }

            redis?.Dispose();
            redis = null;
            var stopped = await apphost.StopAsync(StopTimeout);
            var servicesGone = await WaitForServicesToEndAsync(peaks);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"services gone {servicesGone.TotalSeconds:F1} s after the AppHost exited"));
            Report(options, expected, final, exact, wall, firstCounted, stopped, peaks, dataDirectory, logPath);
            return exact ? 0 : 1;
        }
        finally
        {
            redis?.Dispose();
            apphost.Dispose();
            if (!options.Keep)
            {
                File.Delete(capturePath);
            }
        }
    }

    private static void Report(SoakOptions options, ExpectedCounters expected, IReadOnlyDictionary<long, long>? final, bool exact, TimeSpan wall,
        TimeSpan? firstCounted, TimeSpan stopped, ProcessPeaks peaks, string dataDirectory, string logPath)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine();
        // The capture's events fall mostly on one day; the rest (a few per day) are summed on one line.
        Console.WriteLine("| day | capture | counted |");
        Console.WriteLine("|---|---:|---:|");
        long otherExpected = 0, otherCounted = 0;
        foreach (var (day, count) in expected.Days)
        {
            var got = final?.GetValueOrDefault(day) ?? 0;
            if (count >= expected.Total / 100 || got != count)
            {
                Console.WriteLine(string.Create(inv, $"| {day} | {count:N0} | {got:N0} |"));
            }
            else
            {
                otherExpected += count;
                otherCounted += got;
            }
        }

        Console.WriteLine(string.Create(inv, $"| {expected.Days.Count} days in all, the others | {otherExpected:N0} | {otherCounted:N0} |"));

        var total = final?.Values.Sum() ?? 0;
        Console.WriteLine();
        Console.WriteLine(string.Create(inv, $"result: {(exact ? "EXACT" : "NOT EXACT")}: {total:N0} of {expected.Total:N0} events counted (day totals and pleiades:counters:all)"));
        Console.WriteLine(string.Create(inv, $"wall time from `dotnet run` to {(exact ? "exact" : "the end")}: {wall.TotalSeconds:F1} s, {expected.Total / wall.TotalSeconds:N0} events/s"));
        if (firstCounted is { } first)
        {
            Console.WriteLine(string.Create(inv, $"from the first counted event: {(wall - first).TotalSeconds:F1} s, {expected.Total / Math.Max(1, (wall - first).TotalSeconds):N0} events/s"));
        }

        Console.WriteLine(string.Create(inv, $"AppHost stop (SIGTERM) at the end: {stopped.TotalSeconds:F1} s"));
        foreach (var (role, processes, peakMiB) in peaks.ByRole())
        {
            Console.WriteLine(string.Create(inv, $"peak RSS {role}: {peakMiB:F0} MiB{(processes > 1 ? $" (largest of {processes} processes)" : "")}"));
        }

        Console.WriteLine(string.Create(inv, $"embedded data folder at the end: {Size(dataDirectory) / 1048576.0:F0} MiB ({string.Join(", ", Directory.GetDirectories(dataDirectory).Select(d => $"{Path.GetFileName(d)} {Size(d) / 1048576.0:F0} MiB"))})"));
        Console.WriteLine($"load average at the end: {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine($"AppHost output: {logPath}");
    }

    /// <summary>
    /// Waits (bounded) until DCP has stopped the run's services; kills, by id, any still there after the bound, so a
    /// restart never runs beside the old processes.
    /// </summary>
    private static async Task<TimeSpan> WaitForServicesToEndAsync(ProcessPeaks peaks)
    {
        var clock = Stopwatch.StartNew();
        while (peaks.RunningServices() is { Count: > 0 } alive)
        {
            if (clock.Elapsed > StopTimeout)
            {
                Console.WriteLine($"soak: services still running {StopTimeout.TotalSeconds:F0} s after the AppHost exited; killing {string.Join(',', alive)}");
                foreach (var pid in alive)
                {
                    try
                    {
                        using var process = Process.GetProcessById(pid);
                        process.Kill();
                    }
                    catch (ArgumentException)
                    {
                        // Already gone.
                    }
                }

                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }

        return clock.Elapsed;
    }

    private static async Task<ConnectionMultiplexer?> TryConnectAsync(int port)
    {
        try
        {
            return await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port},connectTimeout=2000,abortConnect=true");
        }
        catch (RedisConnectionException)
        {
            return null; // Garnet is not up yet.
        }
    }

    private static async Task<long?> TryReadTotalAsync(ConnectionMultiplexer redis)
    {
        try
        {
            var value = await redis.GetDatabase().HashGetAsync(RedisKeys.AllTimeCounters, CounterNames.Total).WaitAsync(TimeSpan.FromSeconds(10));
            return value.IsNull ? 0 : (long)value;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return null;
        }
    }

    private static async Task<Dictionary<long, long>?> TryReadDaysAsync(ConnectionMultiplexer redis, ExpectedCounters expected)
    {
        try
        {
            var db = redis.GetDatabase();
            var days = new Dictionary<long, long>();
            foreach (var day in expected.Days.Keys)
            {
                var value = await db.HashGetAsync(RedisKeys.Counters(day), CounterNames.Total).WaitAsync(TimeSpan.FromSeconds(10));
                days[day] = value.IsNull ? 0 : (long)value;
            }

            return days;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return null;
        }
    }

    private static async Task<bool> AllTimeMatchesAsync(ConnectionMultiplexer redis, ExpectedCounters expected)
    {
        var db = redis.GetDatabase();
        foreach (var (name, value) in expected.Checked())
        {
            var stored = await db.HashGetAsync(RedisKeys.AllTimeCounters, name).WaitAsync(TimeSpan.FromSeconds(10));
            if (stored.IsNull || (long)stored != value)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"all-time {name}: {(stored.IsNull ? "missing" : stored.ToString())}, expected {value}"));
                return false;
            }
        }

        return true;
    }

    private static long Size(string directory) =>
        Directory.Exists(directory) ? new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length) : 0;
}
