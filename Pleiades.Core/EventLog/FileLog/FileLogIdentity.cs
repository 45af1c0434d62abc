namespace Pleiades.EventLog;

/// <summary>
/// The identity of a file log: a GUID written into its directory when the log is created, so positions
/// stored elsewhere (Redis <c>pleiades:positions:file:{logGuid}</c>) are only ever applied to the log they came from.
/// </summary>
public static class FileLogIdentity
{
    /// <summary>The Redis position key suffix for a file log (docs/redis-keys.md): <c>file:{logGuid}</c>.</summary>
    public static string LogKey(Guid logId) => "file:" + logId.ToString("D");

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
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created the log first; its identity stands.
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
