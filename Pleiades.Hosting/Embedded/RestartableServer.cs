namespace Pleiades.Hosting.Embedded;

/// <summary>
/// An embedded server that can be stopped and started again inside the AppHost (the dashboard's Restart command):
/// the services see the outage a real server's restart causes, and the new instance starts from what the old one
/// kept on disk.
/// </summary>
internal sealed class RestartableServer(Func<IDisposable> start) : IDisposable
{
    private readonly Lock _gate = new();
    private IDisposable? _server;
    private bool _disposed;

    /// <summary>Starts the server; throws what <c>start</c> throws.</summary>
    public void Start()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _server ??= start();
        }
    }

    /// <summary>Stops the running server (its port and files are released) and starts a new one.</summary>
    public void Restart()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _server?.Dispose();
            _server = null;
            _server = start();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _server?.Dispose();
            _server = null;
        }
    }
}
