using System.Diagnostics;
using Pleiades.Hosting.Infrastructure;

namespace Pleiades.Tests.Support;

/// <summary>The fixture every process-level test stands on: its failures must explain themselves and leave nothing running.</summary>
[Trait("Category", "Integration")]
public class ChildProcessTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_process_that_exits_instead_of_listening_fails_the_wait_with_its_exit_code_and_output()
    {
        await using var process = ChildProcess.Start("broken", "/bin/sh", ["-c", "echo starting; echo 'no config' >&2; exit 3"]);

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => process.WaitListeningAsync(FreePort.Next(), Timeout));

        Assert.Contains("broken exited with code 3", failure.Message, StringComparison.Ordinal);
        Assert.Contains("starting", failure.Message, StringComparison.Ordinal);
        Assert.Contains("no config", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_process_that_never_listens_times_out_and_is_stopped()
    {
        await using var process = ChildProcess.Start("silent", "sleep", ["30"]);
        var id = process.Id;

        var failure = await Assert.ThrowsAsync<TimeoutException>(() => process.WaitListeningAsync(FreePort.Next(), TimeSpan.FromMilliseconds(300)));

        Assert.Contains("silent was not listening", failure.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Process.GetProcessById(id));
    }

    [Fact]
    public async Task Terminate_sends_sigterm_and_returns_the_exit_code()
    {
        // The shell traps the signal itself; its short sleeps let the trap run soon.
        await using var process = ChildProcess.Start("graceful", "/bin/sh", ["-c", "trap 'echo bye; exit 7' TERM; echo ready; while :; do sleep 0.05; done"]);
        await WaitForOutputAsync(process, "ready");

        Assert.Equal(7, await process.TerminateAsync(Timeout));
    }

    [Fact]
    public async Task Dispose_kills_a_process_that_ignores_sigterm()
    {
        // exec keeps the ignored SIGTERM and leaves no shell behind holding the output open.
        var process = ChildProcess.Start("stubborn", "/bin/sh", ["-c", "trap '' TERM; echo ready; exec sleep 30"], new ChildProcessOptions { StopTimeout = TimeSpan.FromMilliseconds(300) });
        var id = process.Id;
        await WaitForOutputAsync(process, "ready");

        await process.DisposeAsync().AsTask().WaitAsync(Timeout, TestContext.Current.CancellationToken);

        Assert.Throws<ArgumentException>(() => Process.GetProcessById(id));
    }

    [Fact]
    public async Task Every_line_reaches_the_sink_and_the_environment_is_set_and_cleared()
    {
        var lines = new List<string>();
        Assert.NotNull(Environment.GetEnvironmentVariable("HOME"));
        var process = ChildProcess.Start("printer", "/bin/sh", ["-c", "echo \"$GREETING\"; echo \"[$HOME]\" >&2"], new ChildProcessOptions
        {
            Environment = new Dictionary<string, string?> { ["GREETING"] = "hello", ["HOME"] = null },
            OnLine = lines.Add,
        });

        Assert.Equal(0, await process.WaitForExitAsync(Timeout));
        await process.DisposeAsync();

        Assert.Equal(["[]", "hello"], lines.Order(StringComparer.Ordinal));
    }

    private static Task WaitForOutputAsync(ChildProcess process, string text) =>
        Eventually.WaitUntilAsync(() => process.Output.Contains(text, StringComparison.Ordinal), Timeout, $"{process.Name} printing '{text}'");
}
