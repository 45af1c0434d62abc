using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Pleiades.Hosting.Embedded;
using Pleiades.Ingest;
using Pleiades.Ingest.Telemetry;
using Pleiades.Replay;
using Pleiades.Tests.FileLog;
using Pleiades.Tests.Support;

namespace Pleiades.Tests.Ingest;

/// <summary>
/// What the Ingest's contract metrics say is what happened: writes that fail are counted in
/// <c>pleiades_kafka_writer_errors_total</c> and restart the publishing loop (<c>pleiades_goroutine_restarts</c>), and
/// <c>pleiades_kafka_publish_lag_milliseconds</c> is the age of the events Kafka last acknowledged.
/// </summary>
[Collection(IngestHostCollection.Name)]
[Trait("Category", "Integration")]
public sealed class IngestMetricBehaviourTests
{
    private const string Topic = "pleiades-events";

    [Fact]
    public async Task Failed_kafka_writes_are_counted_and_restart_the_publisher_which_then_delivers_everything()
    {
        using var cluster = KafkaMockCluster.Start();
        cluster.CreateTopic(Topic, 2);
        using var state = new TemporaryDirectory();
        const int total = 100 * 5;
        await using var replay = await SampleReplay.StartAsync(new ReplayOptions { Multiply = 5, Rate = 200 });
        var settings = IngestKafkaTests.KafkaSettings(cluster, replay.StreamUrl, state.Path);
        // Deliveries give up after a second, so a broker that is down fails the write instead of holding it forever.
        settings["Aspire:Confluent:Kafka:Producer:Config:message.timeout.ms"] = "1000";
        await using var ingest = await IngestHost.StartAsync(settings);

        await ingest.WaitForPublishedAsync(50, TimeSpan.FromSeconds(30));
        var before = await ingest.ScrapeMetricsAsync();
        Assert.Equal(0, MetricsText.Value(before, "pleiades_kafka_writer_errors_total"));
        Assert.Equal(0, MetricsText.Value(before, "pleiades_goroutine_restarts", "component=\"publisher\""));

        cluster.SetBrokerDown();
        await Eventually.WaitUntilAsync(
            async () => MetricsText.Value(await ingest.ScrapeMetricsAsync(), "pleiades_kafka_writer_errors_total") > 0,
            TimeSpan.FromSeconds(30),
            "a failed write counted while the broker was down");
        await Eventually.WaitUntilAsync(
            async () => MetricsText.Value(await ingest.ScrapeMetricsAsync(), "pleiades_goroutine_restarts", "component=\"publisher\"") > 0,
            TimeSpan.FromSeconds(30),
            "the publishing loop's restart counted");

        cluster.SetBrokerUp();
        await ingest.WaitForPublishedAsync(total, TimeSpan.FromSeconds(60));
        var after = await ingest.ScrapeMetricsAsync();
        Assert.Equal(0, MetricsText.Value(after, "pleiades_goroutine_restarts", "component=\"relay\""));
        Assert.True(MetricsText.Value(after, "pleiades_kafka_publish_events_total") >= total);
    }

    [Fact]
    public async Task Publish_lag_is_the_age_of_the_events_kafka_last_acknowledged()
    {
        using var cluster = KafkaMockCluster.Start();
        cluster.CreateTopic(Topic, 2);
        using var state = new TemporaryDirectory();
        await using var replay = await SampleReplay.StartAsync(new ReplayOptions());
        var eventTimes = Enumerable.Range(0, replay.Capture.Events.Count)
            .Select(i => EventMetadata.Read(replay.Capture.DataOf(i)).TimeUnixMs)
            .ToList();

        var startedMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await using var ingest = await IngestHost.StartAsync(IngestKafkaTests.KafkaSettings(cluster, replay.StreamUrl, state.Path));
        await ingest.WaitForPublishedAsync(eventTimes.Count, TimeSpan.FromSeconds(30));
        var metrics = await ingest.ScrapeMetricsAsync();
        var scrapedMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        // The last batch was acknowledged between the start and the scrape, and its newest event is one of the capture's.
        var lag = MetricsText.Value(metrics, "pleiades_kafka_publish_lag_milliseconds");
        Assert.InRange(lag, startedMs - eventTimes.Max(), scrapedMs - eventTimes.Min());
        Assert.Equal(ingest.Services.GetRequiredService<RelayProgress>().Published, eventTimes.Count);

        // The write and wait times: min <= avg <= max over the batches since the last scrape, in seconds.
        foreach (var gauge in (string[])["pleiades_kafka_publish_write_time_seconds", "pleiades_kafka_publish_wait_time_seconds"])
        {
            var min = Gauge(metrics, gauge, "min");
            var avg = Gauge(metrics, gauge, "avg");
            var max = Gauge(metrics, gauge, "max");
            Assert.True(min <= avg && avg <= max && max > 0 && max < 30, $"{gauge}: min {min}, avg {avg}, max {max}");
        }
    }

    private static double Gauge(string metrics, string name, string agg)
    {
        var match = Regex.Match(metrics, $"(?m)^{name}\\{{[^}}]*agg=\"{agg}\"[^}}]*\\}} (\\S+)$");
        Assert.True(match.Success, $"no {name}{{agg=\"{agg}\"}}");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }
}
