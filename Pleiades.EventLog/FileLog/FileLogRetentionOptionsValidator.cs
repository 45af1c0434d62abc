using Microsoft.Extensions.Options;

namespace Pleiades.EventLog.FileLog;

/// <summary>Reports every problem with the file log's retention settings at once, at start.</summary>
public sealed class FileLogRetentionOptionsValidator(FileEventLogOptions log) : IValidateOptions<FileLogRetentionOptions>
{
    /// <summary>Longest age accepted: about 100 years, far past any disk, and well inside what <see cref="TimeSpan"/> holds.</summary>
    private const double MaxRetentionHours = 100 * 365 * 24;

    public ValidateOptionsResult Validate(string? name, FileLogRetentionOptions options)
    {
        var problems = new List<string>();
        if (!double.IsFinite(options.RetentionHours) || options.RetentionHours is < 0 or > MaxRetentionHours)
        {
            problems.Add($"{FileLogRetentionOptions.Section}:RetentionHours must be between 0 (keep forever) and {MaxRetentionHours}, not {options.RetentionHours}");
        }

        if (options.RetentionBytes < 0)
        {
            problems.Add($"{FileLogRetentionOptions.Section}:RetentionBytes must be 0 (no size cap) or positive, not {options.RetentionBytes}");
        }
        else if (options.RetentionBytes > 0 && options.RetentionBytes < log.SegmentBytes)
        {
            problems.Add($"{FileLogRetentionOptions.Section}:RetentionBytes ({options.RetentionBytes}) is below {FileLogRetentionOptions.Section}:SegmentBytes ({log.SegmentBytes}): the log would hold less than one segment");
        }

        if (options.RetentionCheckInterval <= TimeSpan.Zero)
        {
            problems.Add($"{FileLogRetentionOptions.Section}:RetentionCheckInterval must be positive, not {options.RetentionCheckInterval}");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
