using Pleiades.Benchmarks.Data;

namespace Pleiades.Benchmarks.EndToEnd;

/// <summary>The e2e command's options (see the usage text in Program.cs).</summary>
internal sealed record EndToEndOptions(long Events, string Log, string Redis, int Partitions, string Phases, int Aggregators)
{
    public const string Kafka = "kafka";
    public const string File = "file";

    public bool RunsStages => Phases is "stages" or "ingest" or "all";

    /// <summary>Only the Ingest's stage: what profiling the Ingest needs, without waiting for the Aggregators.</summary>
    public bool RunsIngestOnly => Phases is "ingest";

    public bool RunsPipeline => Phases is "pipeline" or "all";

    public static EndToEndOptions Parse(string[] args)
    {
        var values = new CommandOptions(args, "events", "log", "redis", "partitions", "phases", "aggregators");
        var log = values.Text("log", Kafka);
        var options = new EndToEndOptions(
            values.Number("events", 1_000_000),
            log,
            values.Text("redis", RedisUnderTest.Garnet),
            values.Number("partitions", 128),
            values.Text("phases", "all"),
            // The file log source is a single reader by design; Kafka spreads partitions over a consumer group.
            values.Number("aggregators", log == File ? 1 : 2));
        return options.Log is Kafka or File && options.Phases is "stages" or "ingest" or "pipeline" or "all"
            ? options
            : throw new UsageException("--log takes kafka or file; --phases takes stages, ingest, pipeline or all");
    }
}
