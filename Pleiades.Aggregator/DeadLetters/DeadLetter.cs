using Pleiades.Aggregator.Events;

namespace Pleiades.Aggregator.DeadLetters;

/// <summary>A log record the Aggregator could not count, with where it came from and why.</summary>
/// <param name="Payload">The record exactly as read.</param>
/// <param name="Reason">The kind of problem.</param>
/// <param name="Field">The offending JSON field, when one is known.</param>
/// <param name="LogId">The log it came from (<c>kafka:{cluster}:{topic}</c> or <c>file:{guid}</c>).</param>
/// <param name="Partition">The partition (or <c>file</c>).</param>
/// <param name="Position">Its offset or file position.</param>
public sealed record DeadLetter(byte[] Payload, RecentChangeParseStatus Reason, string? Field, string LogId, string Partition, long Position);
