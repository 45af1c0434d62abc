namespace Pleiades.Aggregator.Counting;

/// <summary>
/// Where one batch read one partition of a log (or the file log): it started at <see cref="From"/>, the position
/// stored in Redis when the reader last synchronised (<see cref="None"/> when none was stored), and the next
/// position to read after it is <see cref="Next"/>.
/// </summary>
/// <param name="Field">The field of <c>pleiades:positions:{logId}</c>: the partition number, or <c>file</c>.</param>
/// <param name="From">The stored position the batch started from, or <see cref="None"/>.</param>
/// <param name="Next">The position after the batch's last record.</param>
public readonly record struct BatchPosition(string Field, long From, long Next)
{
    /// <summary>The <see cref="From"/> of a partition that had no stored position.</summary>
    public const long None = -1;
}
