using System.Globalization;
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
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }

        var log = values.GetValueOrDefault("log", Kafka);
        var options = new EndToEndOptions(
            long.Parse(values.GetValueOrDefault("events", "1000000"), CultureInfo.InvariantCulture),
            log,
            values.GetValueOrDefault("redis", RedisUnderTest.Garnet),
            int.Parse(values.GetValueOrDefault("partitions", "128"), CultureInfo.InvariantCulture),
            values.GetValueOrDefault("phases", "all"),
            // The file log source is a single reader by design; Kafka spreads partitions over a consumer group.
            int.Parse(values.GetValueOrDefault("aggregators", log == File ? "1" : "2"), CultureInfo.InvariantCulture));
        return options.Log is Kafka or File && options.Phases is "stages" or "ingest" or "pipeline" or "all"
            ? options
            : throw new ArgumentException("--log takes kafka or file; --phases takes stages, ingest, pipeline or all");
    }
}
