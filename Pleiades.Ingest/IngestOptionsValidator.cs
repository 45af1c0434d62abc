using Microsoft.Extensions.Options;

namespace Pleiades.Ingest;

/// <summary>Reports every problem with the Ingest's settings at once, at start.</summary>
internal sealed class IngestOptionsValidator : IValidateOptions<IngestOptions>
{
    public ValidateOptionsResult Validate(string? name, IngestOptions options)
    {
        var since = options.Since;
        (bool Broken, string Problem)[] rules =
        [
            (!options.StreamUrl.IsAbsoluteUri || options.StreamUrl.Scheme is not ("http" or "https"), $"Ingest:StreamUrl '{options.StreamUrl}' is not an http(s) URL"),
            (string.IsNullOrWhiteSpace(options.UserAgent), "Ingest:UserAgent is empty: WMF refuses requests without a descriptive User-Agent"),
            (options.ReadTimeout <= TimeSpan.Zero, "Ingest:ReadTimeout must be positive"),
            (options.MinBackoff <= TimeSpan.Zero || options.MaxBackoff < options.MinBackoff, "Ingest:MinBackoff must be positive and not above Ingest:MaxBackoff"),
            (options.BufferCapacity < 1 || options.BatchSize < 1 || options.KafkaPartitionRun < 1, "Ingest:BufferCapacity, Ingest:BatchSize and Ingest:KafkaPartitionRun must be at least 1"),
            (options.KafkaPartitions < 1, "Ingest:KafkaPartitions must be at least 1"),
            (options.DedupeWindow < 0, "Ingest:DedupeWindow must not be negative (0 turns deduplication off)"),
            (options.ProgressInterval <= TimeSpan.Zero, "Ingest:ProgressInterval must be positive"),
            (options.ShutdownDrainTimeout < TimeSpan.Zero, "Ingest:ShutdownDrainTimeout must not be negative"),
            (string.IsNullOrWhiteSpace(options.StateDirectory), "Ingest:StateDirectory is empty"),
            (since is not null && !long.TryParse(since, out _) && !DateTimeOffset.TryParse(since, System.Globalization.CultureInfo.InvariantCulture, out _),
                $"--since '{since}' is neither milliseconds since the epoch nor an ISO-8601 time"),
        ];
        var problems = rules.Where(rule => rule.Broken).Select(rule => rule.Problem).ToList();

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
