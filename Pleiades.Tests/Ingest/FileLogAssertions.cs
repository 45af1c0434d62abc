using Pleiades.EventLog.FileLog;
using Pleiades.Replay;

namespace Pleiades.Tests.Ingest;

/// <summary>Reads a file log as the Aggregator would, and compares it with what the replay served.</summary>
public static class FileLogAssertions
{
    /// <summary>Waits (bounded) until the log in <paramref name="directory"/> holds at least <paramref name="count"/> records; returns them all.</summary>
    public static async Task<List<FileLogRecord>> WaitForRecordsAsync(string directory, int count, TimeSpan timeout)
    {
        using var reader = new FileEventLogReader(directory, FileLogPosition.Start, TimeSpan.FromMilliseconds(10));
        var records = new List<FileLogRecord>();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            while (records.Count < count)
            {
                await reader.ReadBatchAsync(records, 10_000, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            Assert.Fail($"the log holds {records.Count} of {count} events after {timeout.TotalSeconds} s");
        }

        return records;
    }

    /// <summary>The log must hold exactly the first <paramref name="count"/> events the replay serves, each once, in order, byte for byte.</summary>
    public static void HoldsExactly(IReadOnlyList<FileLogRecord> records, ReplayCapture capture, int count)
    {
        Assert.Equal(count, records.Count);
        for (var i = 0; i < count; i++)
        {
            var expected = capture.DataOf(i);
            if (!records[i].Data.Span.SequenceEqual(expected))
            {
                Assert.Fail($"log record {i} is not event {i} of the replay: {System.Text.Encoding.UTF8.GetString(records[i].Data.Span)[..120]}");
            }
        }
    }
}
