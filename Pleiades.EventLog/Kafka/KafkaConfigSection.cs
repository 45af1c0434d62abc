using Microsoft.Extensions.Configuration;

namespace Pleiades.EventLog.Kafka;

/// <summary>
/// Reads a librdkafka configuration from a configuration section (e.g. <c>Aspire:Confluent:Kafka:Consumer:Config</c>),
/// whose keys may be librdkafka's (<c>fetch.max.bytes</c>) or the .NET property names (<c>FetchMaxBytes</c>).
/// </summary>
public static class KafkaConfigSection
{
    /// <summary>The section's values under librdkafka's keys, in the section's order.</summary>
    public static IEnumerable<KeyValuePair<string, string>> Read(IConfigurationSection section) =>
        section.GetChildren()
            .Where(child => child.Value is not null)
            .Select(child => KeyValuePair.Create(ToLibrdkafkaKey(child.Key), child.Value!));

    /// <summary>Accepts both librdkafka's keys (<c>bootstrap.servers</c>) and the .NET property names (<c>BootstrapServers</c>).</summary>
    public static string ToLibrdkafkaKey(string key)
    {
        if (key.Contains('.', StringComparison.Ordinal) || key.All(c => !char.IsUpper(c)))
        {
            return key;
        }

        var dotted = new System.Text.StringBuilder(key.Length + 4);
        for (var i = 0; i < key.Length; i++)
        {
            if (char.IsUpper(key[i]) && i > 0)
            {
                dotted.Append('.');
            }

            dotted.Append(char.ToLowerInvariant(key[i]));
        }

        return dotted.ToString();
    }
}
