namespace Pleiades.Ingest.Sink;

/// <summary>Where the Kafka publisher writes.</summary>
/// <param name="Topic">The events topic (<c>--kafka.topic</c>).</param>
/// <param name="Partitions">Partitions when the publisher creates the topic.</param>
/// <param name="BootstrapServers">Read when the log is opened (the producer's settings are final by then), for reading the topic's tail back.</param>
/// <param name="TailMessages">At most this many messages are read back from the topic's end on resume, shared by its
/// partitions: their meta.ids seed the deduplication window, so it is that window's size.</param>
/// <param name="PartitionRun">Consecutive events written to one partition before the next (<c>Ingest:KafkaPartitionRun</c>).</param>
public sealed record KafkaPublisherOptions(string Topic, int Partitions, Func<string?> BootstrapServers, int TailMessages = 100_000, int PartitionRun = 1_000);
