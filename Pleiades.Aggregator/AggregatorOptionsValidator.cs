using Microsoft.Extensions.Options;

namespace Pleiades.Aggregator;

/// <summary>Reports every problem of the Aggregator's settings at once, at start.</summary>
internal sealed class AggregatorOptionsValidator : IValidateOptions<AggregatorOptions>
{
    public ValidateOptionsResult Validate(string? name, AggregatorOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Group))
        {
            errors.Add("Aggregator:Group (--kafka.group) must not be empty.");
        }

        if (options.BatchMaxEvents < 1)
        {
            errors.Add("Aggregator:BatchMaxEvents must be at least 1.");
        }

        if (options.BatchMaxDelay <= TimeSpan.Zero)
        {
            errors.Add("Aggregator:BatchMaxDelay must be positive.");
        }

        if (options.MinuteRetention < TimeSpan.Zero)
        {
            errors.Add("Aggregator:MinuteRetention must not be negative.");
        }

        if (options.ProgressInterval <= TimeSpan.Zero)
        {
            errors.Add("Aggregator:ProgressInterval must be positive.");
        }

        if (string.IsNullOrWhiteSpace(options.Topic))
        {
            errors.Add("EventLog:Kafka:Topic (--kafka.topic) must not be empty.");
        }

        if (string.IsNullOrWhiteSpace(options.FileDirectory))
        {
            errors.Add("EventLog:File:Directory (--file.publishDir) must not be empty.");
        }

        if (string.IsNullOrWhiteSpace(options.DeadLetterTopic))
        {
            errors.Add("Aggregator:DeadLetterTopic must not be empty.");
        }

        if (options.Redis.UseSentinel && string.IsNullOrWhiteSpace(options.Redis.SentinelServiceName))
        {
            errors.Add("Aggregator:Redis:SentinelServiceName must name the master when Sentinel is used.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
