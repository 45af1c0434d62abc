using Microsoft.Extensions.Options;

namespace Pleiades.Ingest;

/// <summary>Reports every problem with the Ingest's settings at once, at start.</summary>
internal sealed class IngestOptionsValidator : IValidateOptions<IngestOptions>
{
    public ValidateOptionsResult Validate(string? name, IngestOptions options)
    {
        var problems = new List<string>();
        if (!options.StreamUrl.IsAbsoluteUri || options.StreamUrl.Scheme is not ("http" or "https"))
        {
            problems.Add($"Ingest:StreamUrl '{options.StreamUrl}' is not an http(s) URL");
        }

        if (string.IsNullOrWhiteSpace(options.UserAgent))
        {
            problems.Add("Ingest:UserAgent is empty: WMF refuses requests without a descriptive User-Agent");
        }

        if (options.ReadTimeout <= TimeSpan.Zero)
        {
            problems.Add("Ingest:ReadTimeout must be positive");
        }

        if (options.MinBackoff <= TimeSpan.Zero || options.MaxBackoff < options.MinBackoff)
        {
            problems.Add("Ingest:MinBackoff must be positive and not above Ingest:MaxBackoff");
        }

        if (options.BufferCapacity < 1 || options.BatchSize < 1 || options.KafkaPartitionRun < 1)
        {
            problems.Add("Ingest:BufferCapacity, Ingest:BatchSize and Ingest:KafkaPartitionRun must be at least 1");
        }

        if (options.KafkaPartitions < 1)
        {
            problems.Add("Ingest:KafkaPartitions must be at least 1");
        }

        if (options.DedupeWindow < 0)
        {
            problems.Add("Ingest:DedupeWindow must not be negative (0 turns deduplication off)");
        }

        if (options.ProgressInterval <= TimeSpan.Zero)
        {
            problems.Add("Ingest:ProgressInterval must be positive");
        }

        if (options.ShutdownDrainTimeout < TimeSpan.Zero)
        {
            problems.Add("Ingest:ShutdownDrainTimeout must not be negative");
        }

        if (string.IsNullOrWhiteSpace(options.StateDirectory))
        {
            problems.Add("Ingest:StateDirectory is empty");
        }

        if (options.Since is { } since && !long.TryParse(since, out _) && !DateTimeOffset.TryParse(since, System.Globalization.CultureInfo.InvariantCulture, out _))
        {
            problems.Add($"--since '{since}' is neither milliseconds since the epoch nor an ISO-8601 time");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
