using System.Diagnostics;
using System.Globalization;
using Pleiades.Benchmarks.Data;
using Pleiades.Hosting.Embedded;
using Pleiades.Hosting.Infrastructure;

namespace Pleiades.Benchmarks.EndToEnd;

/// <summary>
/// The end-to-end benchmark: writes a capture of real-shaped events with fresh meta.ids to a temporary directory,
/// serves it with the replay server on loopback as fast as it is read, and runs the Release-built Ingest and
/// Aggregators as processes against the mock Kafka (in this process) or the file log, and Garnet (in this process)
/// or a redis-server it starts. Prints one Markdown table; exits 1 when a check fails.
/// </summary>
internal static class EndToEndBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = EndToEndOptions.Parse(args);
        var root = Directory.CreateTempSubdirectory("pleiades-e2e-").FullName;
        // The first Ctrl+C ends the measured wait so that the services, the replay and redis-server are stopped on
        // the way out (killed with this process they would run on); a second one exits at once.
        using var stopping = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = !stopping.IsCancellationRequested;
            stopping.Cancel();
        };
        try
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"e2e: {options.Events:N0} events, log {options.Log}{(options.Log == EndToEndOptions.Kafka ? $" ({options.Partitions} partitions)" : "")}, redis {options.Redis}, {options.Aggregators} aggregator(s), phases {options.Phases}, in {root}"));
            var capturePath = Path.Combine(root, "capture.ndjson");
            var clock = Stopwatch.StartNew();
            var expected = CaptureFile.Write(capturePath, options.Events);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"capture: {new FileInfo(capturePath).Length / 1048576.0:F0} MiB, {expected.Total:N0} events, {expected.Wikis.Count} wikis, written in {clock.Elapsed.TotalSeconds:F1} s"));

            await using var redis = await RedisUnderTest.StartAsync(options.Redis);
            using var kafka = options.Log == EndToEndOptions.Kafka ? KafkaMockCluster.Start() : null;
            var replayPort = FreePort.Next();
            await using var replay = MeasuredService.Start("replay", "Pleiades.Replay", root,
                ["--capture", capturePath, "--listen", $"http://127.0.0.1:{replayPort}"]);
            clock.Restart();
            await replay.WaitListeningAsync(replayPort, TimeSpan.FromMinutes(5));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"replay: capture loaded and listening after {clock.Elapsed.TotalSeconds:F1} s"));

            var run = new EndToEndRun(options, root, redis, kafka, replay, expected)
            {
                StreamUrl = $"http://127.0.0.1:{replayPort}/v2/stream/recentchange",
                Stopping = stopping.Token,
            };
            var results = new List<StageResult>();
            if (options.RunsStages)
            {
                results.AddRange(await run.StagesAsync());
                PrintSoFar(results);
            }

            if (options.RunsPipeline)
            {
                results.Add(await run.PipelineAsync());
            }

            Console.WriteLine();
            Console.WriteLine(StageResult.TableHeader);
            foreach (var result in results)
            {
                Console.WriteLine(result.TableRow());
            }

            return results.TrueForAll(r => r.Passed) ? 0 : 1;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            Console.Error.WriteLine("e2e: stopped by Ctrl+C; its processes are stopped");
            return 130;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static void PrintSoFar(List<StageResult> results)
    {
        foreach (var result in results)
        {
            Console.WriteLine(result.TableRow());
        }
    }
}
