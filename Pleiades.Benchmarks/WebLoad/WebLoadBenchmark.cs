using System.Globalization;
using System.Text.RegularExpressions;
using Pleiades.Aggregator.Counting;
using Pleiades.Aggregator.Events;
using Pleiades.Benchmarks.Data;
using Pleiades.Benchmarks.EndToEnd;
using Pleiades.Counters;
using Pleiades.Hosting.Infrastructure;
using Pleiades.Tests.Support;

namespace Pleiades.Benchmarks.WebLoad;

/// <summary>
/// Web load: counters of one day for 1,000 wikis written by the real aggregation code (CounterBatch and
/// RedisCounterStore), the Release-built Web as its own process over them, and <c>wrk --latency</c> (after a few seconds of warm-up load per endpoint) against
/// <c>/api/stats/{day}</c> and the dashboard's data endpoints at each connection count. Installs wrk with apt-get
/// when it is missing. Prints one Markdown table.
/// </summary>
internal static partial class WebLoadBenchmark
{
    private const long Day = 20_695;
    private const string Wrk = "/usr/bin/wrk";

    public static async Task<int> RunAsync(string[] args)
    {
        var values = new CommandOptions(args, "wikis", "duration", "connections", "warmup", "paths", "accept-encoding", "redis");

        var wikis = values.Number("wikis", 1000);
        var duration = values.Number("duration", 15);
        var connections = values.Numbers("connections", "50,200");
        var warmup = values.Number("warmup", 5, minimum: 0);
        // --accept-encoding gzip: wrk asks for gzip as browsers, curl --compressed and Go's and Python's HTTP clients
        // do; by default it asks for nothing and gets the identity encoding.
        var acceptEncoding = values.Text("accept-encoding");
        await EnsureWrkAsync();

        var root = Directory.CreateTempSubdirectory("pleiades-web-").FullName;
        try
        {
            await using var redis = await RedisUnderTest.StartAsync(values.Text("redis", RedisUnderTest.Garnet));
            var events = await WriteCountersAsync(redis, wikis);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"web: {wikis:N0} wikis, {events:N0} events counted into day {Day} on {redis.Kind}"));

            var port = FreePort.Next();
            await using var web = MeasuredService.Start("web", "Pleiades.Web", root,
                ["--frontend-redis-addr", redis.Address, "--listen-addr", $"127.0.0.1:{port}"],
                // wrk is one client address: the API's per-address rate limit (600 per 10 s) would answer it 429.
                new Dictionary<string, string> { ["Web__Api__RateLimitPermits"] = "1000000000" });
            await web.WaitListeningAsync(port, TimeSpan.FromSeconds(60));

            string[] allPaths =
            [
                $"/api/stats/{Day}",
                $"/api/stats/{Day}/overview",
                $"/api/stats/{Day}/series",
                $"/api/stats/{Day}/wikis?limit=50",
                $"/api/stats/{Day}/top/pages?limit=25",
            ];
            // --paths stats,wikis runs only some endpoints (e.g. while profiling one), named by their last segment without the query.
            var only = values.Text("paths")?.Split(',');
            var paths = only is null ? allPaths : allPaths.Where(p => only.Contains(EndpointName(p), StringComparer.Ordinal)).ToArray();
            using (var http = new HttpClient())
            {
                foreach (var path in paths)
                {
                    // Warm up each endpoint (JIT, connection pool) and check it answers with data.
                    using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://127.0.0.1:{port}{path}"));
                    if (acceptEncoding is not null)
                    {
                        request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
                    }

                    using var response = await http.SendAsync(request);
                    var body = await response.Content.ReadAsByteArrayAsync();
                    var encoding = string.Join(",", response.Content.Headers.ContentEncoding) is { Length: > 0 } e ? e : "identity";
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"GET {path}: {(int)response.StatusCode}, {body.Length:N0} bytes ({encoding})"));
                    if (!response.IsSuccessStatusCode)
                    {
                        throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}");
                    }
                }
            }

            // A few seconds of load per endpoint before measuring: the Web's code runs first unoptimised, then
            // instrumented (dynamic PGO), and only then fully optimised; the table is a long-running server's steady state.
            if (warmup > 0)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"warm-up: {warmup} s of wrk per endpoint at {connections.Max()} connections"));
                foreach (var path in paths)
                {
                    await RunWrkAsync($"http://127.0.0.1:{port}{path}", connections.Max(), warmup, acceptEncoding);
                }
            }

            Console.WriteLine();
            Console.WriteLine($"Accept-Encoding: {acceptEncoding ?? "(none)"}");
            Console.WriteLine("| endpoint | connections | requests/s | p50 ms | p75 ms | p90 ms | p99 ms | errors | Web CPU µs per request | wrk CPU µs per request |");
            Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
            foreach (var path in paths)
            {
                foreach (var count in connections)
                {
                    var webBefore = web.Sample().CpuSeconds;
                    var wrkBefore = ProcessUsage.EndedChildrenCpuSeconds();
                    var output = await RunWrkAsync($"http://127.0.0.1:{port}{path}", count, duration, acceptEncoding);
                    Console.WriteLine(Row(path, count, output, web.Sample().CpuSeconds - webBefore, ProcessUsage.EndedChildrenCpuSeconds() - wrkBefore));
                }
            }

            var usage = web.Sample();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"\nweb process: {usage.CpuSeconds:F1} CPU s, peak RSS {usage.PeakRssMiB:F0} MiB"));
            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Counts 40 events per wiki (more for the first ones, as real traffic is skewed) through the Aggregator's code.</summary>
    private static async Task<long> WriteCountersAsync(RedisUnderTest redis, int wikis)
    {
        var names = WikiNames(wikis);
        var store = new RedisCounterStore(redis.Connection);
        var batch = new CounterBatch();
        var dayStart = Day * UnixDay.Milliseconds;
        long events = 0;
        for (var w = 0; w < wikis; w++)
        {
            var perWiki = 40 + (4_000 / (w + 1));
            for (var e = 0; e < perWiki; e++)
            {
                batch.Add(new RecentChange
                {
                    EventUnixMs = dayStart + (((w * 7919L) + (e * 104_729L)) % UnixDay.Milliseconds),
                    Wiki = names[w],
                    Type = e % 5 == 0 ? "new" : "edit",
                    Bot = e % 3 == 0,
                    Minor = e % 4 == 0,
                    HasLength = true,
                    LengthOld = 1_000,
                    LengthNew = 1_000 + ((e % 7) - 3) * 100,
                    Namespace = e % 3,
                    Title = $"Page {e % 50}",
                    User = $"User {e % 30}",
                });
                events++;
            }

            if (batch.CountedEvents >= 5_000 || w == wikis - 1)
            {
                var from = events == batch.CountedEvents ? BatchPosition.None : events - batch.CountedEvents;
                var result = await store.ApplyAsync("bench-web", batch, [new BatchPosition("0", from, events)], DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                batch.Clear();
                if (result != BatchApplyResult.Applied)
                {
                    throw new InvalidOperationException($"the counters were not applied: {result}");
                }
            }
        }

        return events;
    }

    /// <summary>Real-looking database names: language codes .NET knows, across the Wikimedia projects (enwiki, dewiktionary, ...).</summary>
    private static List<string> WikiNames(int count)
    {
        var codes = CultureInfo.GetCultures(CultureTypes.NeutralCultures)
            .Select(c => c.Name)
            .Where(n => n.Length is 2 or 3 && n.All(char.IsAsciiLetterLower))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();
        string[] families = ["wiki", "wiktionary", "wikibooks", "wikisource", "wikiquote", "wikinews", "wikivoyage", "wikiversity"];
        var names = families.SelectMany(f => codes.Select(c => c + f)).Take(count).ToList();
        return names.Count == count ? names : throw new InvalidOperationException($"only {names.Count} wiki names");
    }

    private static async Task EnsureWrkAsync()
    {
        if (File.Exists(Wrk))
        {
            return;
        }

        Console.WriteLine("wrk is missing: apt-get install -y wrk");
        var install = await ProcessRunner.RunAsync("apt-get", ["install", "-y", "wrk"], TimeSpan.FromMinutes(5));
        if (install.ExitCode != 0 || !File.Exists(Wrk))
        {
            throw new InvalidOperationException($"could not install wrk (apt-get install -y wrk): {install.Error}");
        }
    }

    private static async Task<string> RunWrkAsync(string url, int connections, int seconds, string? acceptEncoding)
    {
        List<string> args = ["-t", "2", "-c", connections.ToString(CultureInfo.InvariantCulture), "-d", $"{seconds}s", "--latency", "--timeout", "10s"];
        if (acceptEncoding is not null)
        {
            args.AddRange(["-H", $"Accept-Encoding: {acceptEncoding}"]);
        }

        var wrk = await ProcessRunner.RunAsync(Wrk, [.. args, url], TimeSpan.FromSeconds(seconds + 60));
        Console.Error.Write(wrk.Error);
        return wrk.Output;
    }

    /// <summary>"stats" for <c>/api/stats/{day}</c>, "overview" for <c>/api/stats/{day}/overview</c>, "pages" for <c>.../top/pages?limit=25</c>.</summary>
    private static string EndpointName(string path)
    {
        var withoutQuery = path.Split('?')[0];
        var last = withoutQuery[(withoutQuery.LastIndexOf('/') + 1)..];
        return last == Day.ToString(CultureInfo.InvariantCulture) ? "stats" : last;
    }

    /// <summary>One table row; CPU per request is a process's CPU seconds during the run over wrk's request count.</summary>
    private static string Row(string path, int connections, string wrk, double webCpuSeconds, double wrkCpuSeconds)
    {
        string Percentile(string p) => Match(PercentileLine(), wrk, p) is { } value ? Milliseconds(value) : "?";
        var rate = RequestsPerSecond().Match(wrk) is { Success: true } m ? m.Groups[1].Value : "?";
        var errors = string.Join("; ", ErrorsLine().Matches(wrk).Select(e => e.Value.Trim())) is { Length: > 0 } found ? found : "0";
        var requests = RequestCount().Match(wrk) is { Success: true } r ? long.Parse(r.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        string PerRequest(double cpuSeconds) => requests > 0 ? (cpuSeconds * 1e6 / requests).ToString("F0", CultureInfo.InvariantCulture) : "?";
        return $"| `{path}` | {connections} | {rate} | {Percentile("50")} | {Percentile("75")} | {Percentile("90")} | {Percentile("99")} | {errors} | {PerRequest(webCpuSeconds)} | {PerRequest(wrkCpuSeconds)} |";
    }

    private static string? Match(Regex regex, string text, string percentile) =>
        regex.Matches(text).FirstOrDefault(m => m.Groups[1].Value == percentile)?.Groups[2].Value;

    /// <summary>wrk prints "123.45us", "1.23ms" or "1.05s".</summary>
    private static string Milliseconds(string value)
    {
        var number = double.Parse(value.TrimEnd('u', 'm', 's'), CultureInfo.InvariantCulture);
        var ms = value.EndsWith("us", StringComparison.Ordinal) ? number / 1000
            : value.EndsWith("ms", StringComparison.Ordinal) ? number
            : number * 1000;
        return ms.ToString("F2", CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^\s+(\d+)%\s+(\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex PercentileLine();

    [GeneratedRegex(@"(\d+) requests in ")]
    private static partial Regex RequestCount();

    [GeneratedRegex(@"Requests/sec:\s+(\S+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"(Socket errors:[^\n]*|Non-2xx or 3xx responses:[^\n]*)")]
    private static partial Regex ErrorsLine();
}
