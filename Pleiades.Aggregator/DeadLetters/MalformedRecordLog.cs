using System.Text;
using Pleiades.Aggregator.Events;
using Pleiades.Aggregator.Telemetry;

namespace Pleiades.Aggregator.DeadLetters;

/// <summary>Logs the first malformed record of each kind with a short sample; the metric counts the rest.</summary>
public sealed class MalformedRecordLog(ILogger logger)
{
    private const int SampleChars = 300;

    private readonly HashSet<RecentChangeParseStatus> _logged = [];

    public void Report(DeadLetter letter)
    {
        if (!_logged.Add(letter.Reason))
        {
            return;
        }

        var text = Encoding.UTF8.GetString(letter.Payload.AsSpan(0, Math.Min(letter.Payload.Length, SampleChars * 4)));
        var sample = text.Length > SampleChars ? text[..SampleChars] + "..." : text;
        logger.Malformed(letter.Reason, letter.Field ?? "-", letter.LogId, letter.Partition, letter.Position, sample);
    }
}
