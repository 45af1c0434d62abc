namespace Pleiades.EventLog.FileLog;

/// <summary>
/// When the file log asks the OS to put written bytes on the disk (fsync). Independently of the policy, every
/// <see cref="FileEventLogWriter.Flush"/> hands the bytes to the OS before it returns, and the Ingest
/// acknowledges events only after a flush, so a killed process never loses an acknowledged event: only a power
/// loss or kernel crash can, within the window the policy leaves open.
/// </summary>
public enum FileLogFsyncPolicy
{
    /// <summary>fsync on every flush (each published batch): nothing acknowledged is lost even on power loss. The default.</summary>
    EveryFlush,

    /// <summary>fsync at most once per <see cref="FileEventLogOptions.FsyncInterval"/>: a power loss can lose that much.</summary>
    Interval,

    /// <summary>Never fsync except when a segment is sealed; the OS writes back when it likes (about 30 s on Linux).</summary>
    Never,
}
