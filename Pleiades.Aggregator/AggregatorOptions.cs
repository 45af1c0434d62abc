namespace Pleiades.Aggregator;

/// <summary>Settings of the Aggregator, bound from the <c>Aggregator</c> configuration section.</summary>
public sealed class AggregatorOptions
{
    public const string Section = "Aggregator";
    public const string DefaultGroup = "pleiades-aggregator-group";

    /// <summary>The Kafka consumer group the instances share.</summary>
    public string Group { get; set; } = DefaultGroup;
}
