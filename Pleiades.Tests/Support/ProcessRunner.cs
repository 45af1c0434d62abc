using System.Diagnostics;

namespace Pleiades.Tests.Support;

/// <summary>Runs a program to completion (bounded), capturing what it prints.</summary>
/// <remarks>Free of xunit: the benchmarks compile this file too.</remarks>
public static class ProcessRunner
{
    public sealed record Result(int ExitCode, string Output, string Error);

    /// <summary>Runs a .NET assembly with <c>dotnet</c>, from the assembly's folder unless told otherwise.</summary>
    public static Task<Result> RunDotnetAsync(
        string assembly, IEnumerable<string> args, TimeSpan timeout, string? workingDirectory = null, IReadOnlyDictionary<string, string?>? environment = null) =>
        RunAsync("dotnet", [assembly, .. args], timeout, workingDirectory ?? Path.GetDirectoryName(assembly)!, environment);

    /// <summary>Runs <paramref name="program"/> (with <paramref name="environment"/> set); a run longer than <paramref name="timeout"/> is killed and reported.</summary>
    public static async Task<Result> RunAsync(
        string program, IEnumerable<string> args, TimeSpan timeout, string? workingDirectory = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = ChildProcess.CreateStartInfo(program, args, new ChildProcessOptions
        {
            WorkingDirectory = workingDirectory,
            Environment = environment ?? new Dictionary<string, string?>(),
        });
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', start.ArgumentList)} did not exit within {timeout}.");
        }

        return new Result(process.ExitCode, await output, await error);
    }
}
