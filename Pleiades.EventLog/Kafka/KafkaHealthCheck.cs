using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Pleiades.EventLog.Kafka;

/// <summary>
/// Healthy when a broker answers a metadata request. Unlike the usual check that produces to a topic,
/// this one writes nothing and creates no topic in the user's cluster.
/// </summary>
public sealed class KafkaHealthCheck(ClientConfig config) : IHealthCheck, IDisposable
{
    private static readonly TimeSpan MetadataTimeout = TimeSpan.FromSeconds(3);

    private readonly Lazy<IAdminClient> _admin = new(() => new AdminClientBuilder(
        // The .NET client's own producer/consumer keys (dotnet.producer.*, dotnet.consumer.*) are refused by an admin client.
        new AdminClientConfig(config
            .Where(c => !c.Key.StartsWith("statistics", StringComparison.Ordinal) && !c.Key.StartsWith("dotnet.", StringComparison.Ordinal))
            .ToDictionary())
        {
            SocketTimeoutMs = (int)MetadataTimeout.TotalMilliseconds,
        })
        .SetLogHandler((_, _) => { })
        .Build());

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // GetMetadata blocks its thread; keep it off the caller's.
            var metadata = await Task.Run(() => _admin.Value.GetMetadata(MetadataTimeout), cancellationToken).ConfigureAwait(false);
            return metadata.Brokers.Count > 0
                ? HealthCheckResult.Healthy($"{metadata.Brokers.Count} broker(s)")
                : new HealthCheckResult(context.Registration.FailureStatus, "no broker answered");
        }
        catch (KafkaException ex)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, ex.Error.Reason, ex);
        }
    }

    public void Dispose()
    {
        if (_admin.IsValueCreated)
        {
            _admin.Value.Dispose();
        }
    }
}
