using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Pleiades.Counting;
using Pleiades.EventLog;
using Pleiades.Tests.Counting;
using Pleiades.Tests.Events;
using Pleiades.Tests.Support;

namespace Pleiades.Tests.Aggregator;

/// <summary>The Aggregator as users run it: its own process, the original's flags, Prometheus text at /metrics.</summary>
public sealed class AggregatorProcessTests(GarnetServer server) : IClassFixture<GarnetServer>, IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly string _root = Directory.CreateTempSubdirectory("pleiades-aggregator-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Counts_a_file_log_into_redis_serves_contract_metrics_and_stops_cleanly_on_sigterm()
    {
        await server.FlushAsync();
        var directory = Path.Combine(_root, "events");
        var events = SharedSamples.Lines(SharedSamples.Enwiki2023);
        string logId;
        FileLogPosition end;
        using (var writer = FileEventLogWriter.Open(new FileEventLogOptions { Directory = directory }))
        {
            foreach (var line in events)
            {
                writer.Append("[]"u8, line);
            }

            writer.Flush();
            logId = FileLogIdentity.LogKey(writer.LogId);
            end = writer.End;
        }

        var metricsPort = FreePort.Next();
        using var process = StartAggregator(
            "--file.enable", "--file.publishDir", directory,
            "--redis-addr", server.Address,
            "--metricsPort", metricsPort.ToString(CultureInfo.InvariantCulture));
        try
        {
            var store = new RedisCounterStore(server.Connection);
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct))
            {
                timeout.CancelAfter(Timeout);
                while ((await store.ReadPositionsAsync(logId)).GetValueOrDefault(RedisKeys.FilePositionField) != end.ToInt64())
                {
                    Assert.False(process.HasExited, "the Aggregator exited early");
                    await Task.Delay(50, timeout.Token);
                }
            }

            Assert.Equal(CounterBatchTests.Count(events).AllTimeCounters(), await KafkaAggregatorLoopTests.AllTimeAsync(server.Connection));

            using var http = new HttpClient { Timeout = Timeout };
            var metrics = await http.GetStringAsync(new Uri($"http://127.0.0.1:{metricsPort}/metrics"), Ct);
            // The exporter labels every series with its meter (otel_scope_name); the names are CONTRACT.md's.
            Assert.Matches(Series("pleiades_aggregator_event_count_total", "100"), metrics);
            Assert.Matches(Series("pleiades_aggregator_message_lag_milliseconds_count", "100"), metrics);
            Assert.Matches(Series("pleiades_aggregator_message_lag_milliseconds_bucket", "100", "le=\"\\+Inf\""), metrics);
            Assert.Matches(Series("pleiades_aggregator_batch_records_sum", "100"), metrics);
            Assert.Matches(Series("pleiades_aggregator_batches_total", "1", "result=\"applied\""), metrics);
            Assert.Matches(Series("pleiades_aggregator_redis_write_duration_seconds_count", "1"), metrics);

            await TerminateAsync(process);
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    [Fact]
    public async Task Consumes_kafka_as_the_named_group_and_leaves_it_on_sigterm()
    {
        await server.FlushAsync();
        await using var harness = new KafkaAggregatorHarness(server.Connection, partitions: 2);
        var events = SharedSamples.Lines(SharedSamples.WikidataNewItems2018);
        await harness.ProduceAsync(events);

        using var process = StartAggregator(
            "--kafka.enable", "--kafka.broker", harness.Cluster.BootstrapServers, "--kafka.topic", KafkaAggregatorHarness.Topic,
            "--kafka.group", "process-test-group", "--redis-addr", server.Address,
            "--metricsPort", FreePort.Next().ToString(CultureInfo.InvariantCulture));
        try
        {
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct))
            {
                timeout.CancelAfter(Timeout);
                while ((long)await server.Connection.GetDatabase().HashGetAsync(RedisKeys.AllTimeCounters, CounterNames.Total) < events.Count)
                {
                    Assert.False(process.HasExited, "the Aggregator exited early");
                    await Task.Delay(50, timeout.Token);
                }
            }

            Assert.Equal(CounterBatchTests.Count(events).AllTimeCounters(), await KafkaAggregatorLoopTests.AllTimeAsync(server.Connection));
            await TerminateAsync(process);
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static async Task TerminateAsync(Process process)
    {
        using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync(Ct).WaitAsync(Timeout, Ct);
        }

        await process.WaitForExitAsync(Ct).WaitAsync(Timeout, Ct);
    }

    /// <summary>A Prometheus text line of <paramref name="name"/> (whatever its labels, including <paramref name="label"/>) with <paramref name="value"/>.</summary>
    private static Regex Series(string name, string value, string label = "") =>
        new($"(?m)^{name}\\{{[^}}]*{label}[^}}]*\\}} {value}$");

    private static Process StartAggregator(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Pleiades.Aggregator.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        start.Environment.Remove("ASPNETCORE_URLS");
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var output = TestContext.Current.TestOutputHelper;
        process.OutputDataReceived += (_, e) => Write(output, e.Data);
        process.ErrorDataReceived += (_, e) => Write(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Write(ITestOutputHelper? output, string? line)
    {
        if (line is null || output is null)
        {
            return;
        }

        try
        {
            output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // The test has finished.
        }
    }
}
