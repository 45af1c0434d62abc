namespace Pleiades.EventLog.FileLog;

/// <summary>
/// Records a <see cref="FileEventLogReader"/> could not read because retention had deleted their segments first.
/// </summary>
/// <param name="From">Where the reader was: the first position lost.</param>
/// <param name="To">Where it continues: the start of the oldest segment left.</param>
/// <param name="LostBytes">Bytes of records between the two (segment headers excluded), or null when <c>deleted-segments</c>
/// does not tell the size of every deleted segment (segments removed by hand).</param>
public readonly record struct FileLogGap(FileLogPosition From, FileLogPosition To, long? LostBytes)
{
    /// <summary>Segments deleted (wholly, or from <see cref="From"/> on) between the two positions.</summary>
    public int Segments => To.Segment - From.Segment;
}
