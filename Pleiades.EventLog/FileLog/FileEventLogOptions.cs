namespace Pleiades.EventLog.FileLog;

/// <summary>How a <see cref="FileEventLogWriter"/> writes its directory.</summary>
public sealed class FileEventLogOptions
{
    /// <summary>Where the services' configuration holds these settings (and <see cref="FileLogRetentionOptions"/>).</summary>
    public const string Section = "EventLog:File";

    /// <summary>The log's directory (created when missing).</summary>
    public string Directory { get; set; } = EventLogNames.DefaultFileDirectory;

    /// <summary>A segment is sealed and the next one begun once it reaches this size (64 MiB; a record never spans segments).</summary>
    public long SegmentBytes { get; set; } = 64L * 1024 * 1024;

    public FileLogFsyncPolicy Fsync { get; set; } = FileLogFsyncPolicy.EveryFlush;

    /// <summary>With <see cref="FileLogFsyncPolicy.Interval"/>: the longest a flushed record waits for its fsync.</summary>
    public TimeSpan FsyncInterval { get; set; } = TimeSpan.FromSeconds(1);
}
