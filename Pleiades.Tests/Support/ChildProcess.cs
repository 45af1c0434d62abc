using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Pleiades.Tests.Support;

/// <summary>
/// A program this process started and owns (a Pleiades service, redis-server): what it prints is captured for failure
/// messages, waits on it are bounded, and it is stopped by its PID, SIGTERM first and SIGKILL when that is not enough.
/// </summary>
/// <remarks>Free of xunit: the benchmarks compile this file too.</remarks>
public class ChildProcess : IAsyncDisposable
{
    private const int KeptLines = 200;
    private static readonly TimeSpan KillTimeout = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly Queue<string> _lastLines = new();
    private readonly Action<string>? _onLine;
    private readonly TimeSpan _stopTimeout;
    private readonly Task _pumps;
    private int _disposed;

    protected ChildProcess(string name, string program, IEnumerable<string> args, ChildProcessOptions? options)
    {
        options ??= new ChildProcessOptions();
        var start = CreateStartInfo(program, args, options);
        Name = name;
        CommandLine = $"{program} {string.Join(' ', start.ArgumentList)}";
        _onLine = options.OnLine;
        _stopTimeout = options.StopTimeout;
        _process = Process.Start(start) ?? throw new InvalidOperationException($"{CommandLine} did not start");
        StartedAt = Stopwatch.GetTimestamp();
        _pumps = Task.WhenAll(PumpAsync(_process.StandardOutput), PumpAsync(_process.StandardError));
    }

    public string Name { get; }

    public string CommandLine { get; }

    public int Id => _process.Id;

    /// <summary>When it was started (<see cref="Stopwatch.GetTimestamp"/>).</summary>
    public long StartedAt { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>The last lines it printed, standard output and error interleaved as they came.</summary>
    public string Output
    {
        get
        {
            lock (_lastLines)
            {
                return string.Join('\n', _lastLines);
            }
        }
    }

    public static ChildProcess Start(string name, string program, IEnumerable<string> args, ChildProcessOptions? options = null) =>
        new(name, program, args, options);

    /// <summary>How <paramref name="program"/> is started: output and error redirected, in the options' folder and environment.</summary>
    public static ProcessStartInfo CreateStartInfo(string program, IEnumerable<string> args, ChildProcessOptions options)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = options.WorkingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in options.Environment)
        {
            if (value is null)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }

        return start;
    }

    /// <summary>
    /// Waits (bounded) until something accepts connections on 127.0.0.1:<paramref name="port"/>. When it does not (the
    /// process exited first, or the time ran out) the process is stopped, so a failed start leaves nothing running,
    /// and the exception carries its output.
    /// </summary>
    public async Task WaitListeningAsync(int port, TimeSpan timeout)
    {
        try
        {
            await PollListeningAsync(port, timeout);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>Throws, with its exit code and output, when it has exited before <paramref name="what"/> (what it should have done).</summary>
    public async Task EnsureRunningAsync(string what)
    {
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} before {what}. {await DescribeAsync()}");
        }
    }

    /// <summary>SIGTERM by PID, as <c>docker stop</c> or Kubernetes sends; waits (bounded) for the exit and returns its code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            await SignalAsync("TERM");
        }

        return await WaitForExitAsync(timeout);
    }

    /// <summary>Waits (bounded) for it to exit and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{Name} did not exit within {timeout.TotalSeconds} s. {await DescribeAsync()}");
        }

        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no flush, no goodbye; whatever was half-written stays half-written.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync().WaitAsync(KillTimeout);
    }

    /// <summary>Stops it if it still runs (SIGTERM, then SIGKILL after the stop timeout) and waits for its last output; once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        try
        {
            if (!_process.HasExited)
            {
                await SignalAsync("TERM");
                try
                {
                    await _process.WaitForExitAsync().WaitAsync(_stopTimeout);
                }
                catch (TimeoutException)
                {
                    await KillAsync();
                }
            }

            // A grandchild that kept the pipes open must not hang the test run.
            await _pumps.WaitAsync(KillTimeout).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        finally
        {
            _process.Dispose();
            GC.SuppressFinalize(this);
        }
    }

    private async Task PollListeningAsync(int port, TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            await EnsureRunningAsync($"listening on 127.0.0.1:{port}");
            try
            {
                using var probe = new TcpClient();
                using var attempt = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                await probe.ConnectAsync(IPAddress.Loopback, port, attempt.Token);
                return;
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                if (Stopwatch.GetTimestamp() > deadline)
                {
                    throw new TimeoutException($"{Name} was not listening on 127.0.0.1:{port} within {timeout.TotalSeconds} s. {await DescribeAsync()}");
                }

                await Task.Delay(50);
            }
        }
    }

    private async Task SignalAsync(string signal)
    {
        // .NET sends only SIGKILL (Process.Kill); kill(1) sends the rest, to this PID alone.
        using var kill = Process.Start("kill", [$"-{signal}", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync().WaitAsync(KillTimeout);
    }

    /// <summary>Its command line and last output, for a failure message (after the output of an exited process is read to its end).</summary>
    private async Task<string> DescribeAsync()
    {
        if (_process.HasExited)
        {
            await _pumps.WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        var output = Output;
        return $"Command: {CommandLine}\n" + (output.Length == 0 ? "It printed nothing." : $"Its last output:\n{output}");
    }

    private async Task PumpAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            // Under the lock so that the two streams reach OnLine one line at a time.
            lock (_lastLines)
            {
                _lastLines.Enqueue(line);
                if (_lastLines.Count > KeptLines)
                {
                    _lastLines.Dequeue();
                }

                _onLine?.Invoke(line);
            }
        }
    }
}
