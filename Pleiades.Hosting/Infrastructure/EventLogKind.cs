namespace Pleiades.Hosting.Infrastructure;

/// <summary>Where the Ingest writes events and the Aggregators read them (the AppHost's <c>--event-log</c>).</summary>
public enum EventLogKind
{
    /// <summary>The durable file log under the embedded data folder, read by one Aggregator: the embedded mode's default.</summary>
    File,

    /// <summary>The Kafka topic <c>pleiades-events</c>, read by a consumer group: the default of the containers and external modes.</summary>
    Kafka,
}
