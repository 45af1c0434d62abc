using Pleiades.Sse;

namespace Pleiades.Ingest;

/// <summary>Settings of the Ingest, bound from the <c>Ingest</c> configuration section (flags write into it too).</summary>
public sealed class IngestOptions
{
    public const string Section = "Ingest";

    /// <summary>The EventStreams endpoint; the AppHost's <c>--stream-url</c> sets it, so the app can run against a local replay.</summary>
    public Uri StreamUrl { get; set; } = new(RecentChangeStream.Url);

    /// <summary>Resume from the last event that reached the log.</summary>
    public bool Resume { get; set; } = true;

    /// <summary>Backfill start (ms since the epoch or ISO-8601) used when there is nothing to resume from.</summary>
    public string? Since { get; set; }

    /// <summary>The User-Agent sent with every request; WMF refuses generic ones with 403.</summary>
    public string UserAgent { get; set; } = "Pleiades/1.0 (https://github.com/pleiades-dotnet/pleiades; pleiades@example.org) .NET";

    /// <summary>Reconnect when no byte arrives for this long (the live stream sends ~25-60 events/s and no heartbeats).</summary>
    public TimeSpan ReadTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>First reconnect delay (a server's <c>retry:</c> replaces it); doubled, with jitter, after each failed attempt ...</summary>
    public TimeSpan MinBackoff { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>... up to this.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Events buffered between reading and publishing; when full, reading pauses (backpressure, never loss).
    /// One batch's worth: the next batch fills while one is published; more only held more memory (BENCHMARKS.md).</summary>
    public int BufferCapacity { get; set; } = 4_096;

    /// <summary>Most events handed to the log in one publish (one file flush, one wait for Kafka deliveries).</summary>
    public int BatchSize { get; set; } = 4_096;

    /// <summary>How many recent <c>meta.id</c>s are remembered to drop the events a resume repeats.</summary>
    public int DedupeWindow { get; set; } = 100_000;

    /// <summary>How often the progress line is logged.</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Partitions of the Kafka topic when the Ingest creates it.</summary>
    public int KafkaPartitions { get; set; } = 6;

    /// <summary>Consecutive events written to one Kafka partition before the next, round-robin: about one producer
    /// batch (1 MiB), so each becomes one large compressed message set (docs/performance-notes.md, "Optimisations in detail").</summary>
    public int KafkaPartitionRun { get; set; } = 1_000;

    /// <summary>On shutdown, how long buffered events may take to reach the log before the Ingest exits anyway (they are read again after the restart).</summary>
    public TimeSpan ShutdownDrainTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Where the last acknowledged SSE id is kept as well, to resume when the log comes back empty (a new log, a volatile broker).</summary>
    public string StateDirectory { get; set; } = "./.pleiades/ingest";
}
