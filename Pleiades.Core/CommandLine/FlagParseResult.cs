namespace Pleiades.CommandLine;

/// <summary>What parsing a command line produced: configuration to apply, or an exit code to leave with.</summary>
public sealed class FlagParseResult
{
    private FlagParseResult(IReadOnlyDictionary<string, string?> settings, int? exitCode)
    {
        Settings = settings;
        ExitCode = exitCode;
    }

    /// <summary>Configuration keys and values set by the flags (empty when the process should exit).</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; }

    /// <summary>Set when the process should exit now: 0 after <c>--help</c>, 2 after a bad command line.</summary>
    public int? ExitCode { get; }

    /// <summary>True when the service should start.</summary>
    public bool ShouldRun => ExitCode is null;

    internal static FlagParseResult Run(IReadOnlyDictionary<string, string?> settings) => new(settings, null);

    internal static FlagParseResult Exit(int exitCode) => new(new Dictionary<string, string?>(), exitCode);
}
