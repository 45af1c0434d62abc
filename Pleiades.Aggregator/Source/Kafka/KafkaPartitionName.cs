using System.Globalization;

namespace Pleiades.Aggregator.Source.Kafka;

/// <summary>A partition's field in the log's positions hash (its number as text), formatted once per partition.</summary>
internal static class KafkaPartitionName
{
    private static readonly string[] Common = [.. Enumerable.Range(0, 256).Select(p => p.ToString(CultureInfo.InvariantCulture))];

    public static string Of(int partition) =>
        (uint)partition < (uint)Common.Length ? Common[partition] : partition.ToString(CultureInfo.InvariantCulture);
}
