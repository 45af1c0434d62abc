using System.Runtime.InteropServices;

namespace Pleiades.EventLog.FileLog;

/// <summary>
/// The identity of a file log: a GUID written into its directory when the log is created, so positions
/// stored elsewhere (Redis <c>pleiades:positions:file:{logGuid}</c>) are only ever applied to the log they came from.
/// </summary>
public static partial class FileLogIdentity
{
    private const int ErrnoFileExists = 17; // EEXIST, on Linux and macOS alike

    /// <summary>How every file log's <see cref="LogKey"/> begins (a Kafka log's key names its cluster instead).</summary>
    public const string LogKeyPrefix = "file:";

    /// <summary>The Redis position key suffix for a file log (docs/redis-keys.md): <c>file:{logGuid}</c>.</summary>
    public static string LogKey(Guid logId) => LogKeyPrefix + logId.ToString("D");

    /// <summary>
    /// Reads the identity of the log in <paramref name="directory"/>, creating the directory and the identity
    /// when this is a new log. Safe when the Ingest and Aggregators race to create it: one GUID wins.
    /// </summary>
    public static Guid GetOrCreate(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileLogFormat.IdentityFileName);
        if (TryReadFile(path, out var existing))
        {
            return existing;
        }

        if (FileLogFormat.ListSegments(directory).Count > 0)
        {
            throw new InvalidDataException($"{directory} holds log segments but no {FileLogFormat.IdentityFileName}: refusing to give old events a new identity");
        }

        var temporary = Path.Combine(directory, $".{FileLogFormat.IdentityFileName}.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(temporary, Guid.NewGuid().ToString("D") + "\n");
        try
        {
            // False when another creator got there first: its identity stands.
            _ = TryPublish(temporary, path);
        }
        finally
        {
            File.Delete(temporary);
        }

        return TryReadFile(path, out var created) ? created : throw new InvalidDataException($"{path} does not hold a GUID");
    }

    /// <summary>Reads the identity of an existing log; false when the directory holds no log yet.</summary>
    public static bool TryRead(string directory, out Guid logId) =>
        TryReadFile(Path.Combine(directory, FileLogFormat.IdentityFileName), out logId);

    /// <summary>
    /// Makes the complete file <paramref name="temporary"/> appear as <paramref name="path"/> unless that exists,
    /// atomically; false when it existed. Not <c>File.Move(overwrite: false)</c>: on Unix it checks for the
    /// destination and then renames, so two creators could both succeed, the second replacing the identity the first
    /// had already read and written into its segments (test <c>FileEventLogTests.Creators_racing_...</c>).
    /// A hard link is created only if the name is free, and only ever names the whole file.
    /// </summary>
    private static bool TryPublish(string temporary, string path)
    {
        if (OperatingSystem.IsWindows())
        {
            // MoveFileEx without MOVEFILE_REPLACE_EXISTING fails atomically when the destination exists.
            try
            {
                File.Move(temporary, path, overwrite: false);
                return true;
            }
            catch (IOException) when (File.Exists(path))
            {
                return false;
            }
        }

        if (link(temporary, path) == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno == ErrnoFileExists ? false : throw new IOException($"Could not create {path}: link failed with errno {errno}");
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int link(string existingPath, string newPath);

    private static bool TryReadFile(string path, out Guid logId)
    {
        logId = Guid.Empty;
        if (!File.Exists(path))
        {
            return false;
        }

        return Guid.TryParse(File.ReadAllText(path).Trim(), out logId)
            ? true
            : throw new InvalidDataException($"{path} does not hold a GUID");
    }
}
