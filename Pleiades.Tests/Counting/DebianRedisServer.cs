using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace Pleiades.Tests.Counting;

/// <summary>Debian's <c>/usr/bin/redis-server</c> on a free loopback port, without persistence, stopped by its PID.</summary>
public class DebianRedisServer : RedisProtocolServer
{
    public const string Executable = "/usr/bin/redis-server";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private Process? _process;

    protected override async Task StartAsync()
    {
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in ServerArguments())
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var timeout = new CancellationTokenSource(StartTimeout);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", Port, timeout.Token);
                return;
            }
            catch (SocketException) when (!_process.HasExited)
            {
                await Task.Delay(50, timeout.Token);
            }
        }
    }

    /// <summary>redis-server's arguments; by default no persistence at all.</summary>
    protected virtual IEnumerable<string> ServerArguments() =>
        ["--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];

    protected override async Task StopAsync()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync().WaitAsync(StartTimeout);
        }

        _process.Dispose();
        _process = null;
    }
}
