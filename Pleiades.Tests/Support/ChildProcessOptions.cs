namespace Pleiades.Tests.Support;

/// <summary>How a <see cref="ChildProcess"/> is started and stopped.</summary>
public sealed record ChildProcessOptions
{
    /// <summary>Where it runs; this process's current directory when null.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Variables to set in its environment; a null value removes one it would inherit.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Called with every line it prints (a test's output, a log file), one line at a time.</summary>
    public Action<string>? OnLine { get; init; }

    /// <summary>How long disposing waits after SIGTERM before it sends SIGKILL.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
