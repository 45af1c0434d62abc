using System.Collections.Concurrent;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Pleiades.EventLog.Kafka;

/// <summary>
/// librdkafka's log and error callbacks of one client, through an <see cref="ILogger"/> and calm: an unreachable
/// broker is one Warning when it goes and one Information when it answers again (<see cref="Reachable"/>), the
/// client's retries in between are at Debug; any other message repeated within <see cref="RepeatWindow"/> is at Debug.
/// Without it a service with no broker logged a line per connection attempt, several a second, and a client without
/// a log handler wrote librdkafka's raw lines to stderr.
/// </summary>
public sealed class KafkaConnectionLog(ILogger logger, string brokers, TimeProvider? time = null)
{
    /// <summary>How long an identical message stays at Debug after it was logged at its own level.</summary>
    public static readonly TimeSpan RepeatWindow = TimeSpan.FromMinutes(1);

    private const int MaxRemembered = 1000;

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, long> _lastLogged = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _downSince = -1;

    /// <summary>Whether the client is between a connection failure and <see cref="Reachable"/>.</summary>
    public bool IsDown => Volatile.Read(ref _downSince) >= 0;

    /// <summary>The client's log handler (<c>SetLogHandler</c>).</summary>
    public void Log(LogMessage message)
    {
        var level = (LogLevel)message.LevelAs(LogLevelType.MicrosoftExtensionsLogging);
        if (IsConnectionFailure(message.Facility, message.Message))
        {
            Down(message.Message);
            return;
        }

        Write(level, $"librdkafka {message.Facility}: {message.Message}", message.Facility + message.Message);
    }

    /// <summary>The client's error handler (<c>SetErrorHandler</c>).</summary>
    public void Error(Error error)
    {
        if (error.IsFatal)
        {
            logger.LogError("Kafka: {Reason} ({Code})", error.Reason, error.Code);
            return;
        }

        if (error.Code is ErrorCode.Local_Transport or ErrorCode.Local_AllBrokersDown or ErrorCode.Local_Resolve)
        {
            Down(error.Reason);
            return;
        }

        Write(LogLevel.Warning, $"Kafka: {error.Reason} ({error.Code})", error.Code + error.Reason);
    }

    /// <summary>Tells that the broker answered (a message, an assignment, a delivery, metadata): logs its return once.</summary>
    public void Reachable()
    {
        if (!IsDown)
        {
            // The usual case, on every message: no lock.
            return;
        }

        long since;
        lock (_gate)
        {
            if (_downSince < 0)
            {
                return;
            }

            since = _downSince;
            Volatile.Write(ref _downSince, -1);
        }

        logger.LogInformation("Kafka at {Brokers} answers again, after {Duration:0} s unreachable.", brokers, _time.GetElapsedTime(since).TotalSeconds);
    }

    private void Down(string reason)
    {
        lock (_gate)
        {
            if (_downSince >= 0)
            {
                logger.LogDebug("Kafka at {Brokers} still unreachable: {Reason}", brokers, reason);
                return;
            }

            Volatile.Write(ref _downSince, _time.GetTimestamp());
        }

        logger.LogWarning("Kafka at {Brokers} is unreachable ({Reason}); retrying, quietly until it answers.", brokers, reason);
    }

    private void Write(LogLevel level, string text, string key)
    {
        var now = _time.GetTimestamp();
        var repeated = _lastLogged.TryGetValue(key, out var last) && _time.GetElapsedTime(last, now) < RepeatWindow;
        if (!repeated)
        {
            _lastLogged[key] = now;
        }

        var effective = repeated ? LogLevel.Debug : level;
        if (logger.IsEnabled(effective))
        {
            logger.Log(effective, "{Message}", text);
        }

        if (_lastLogged.Count > MaxRemembered)
        {
            _lastLogged.Clear();
        }
    }

    /// <summary>librdkafka's messages for a broker it cannot reach (refused, reset, unresolvable, timed out, all down).</summary>
    private static bool IsConnectionFailure(string facility, string message) =>
        facility is "FAIL" or "CONNECT"
        || (facility is "ERROR" && (message.Contains("brokers are down", StringComparison.Ordinal)
            || message.Contains("Connect to", StringComparison.Ordinal)
            || message.Contains("Connection refused", StringComparison.Ordinal)));
}
