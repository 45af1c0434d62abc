using Aspire.Hosting.ApplicationModel;

namespace Pleiades.Hosting.Kafka;

/// <summary>A Kafka UI container pointed at the Kafka resources of the application.</summary>
public sealed class KafkaUIContainerResource(string name) : ContainerResource(name);
