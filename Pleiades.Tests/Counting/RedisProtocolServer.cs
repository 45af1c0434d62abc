using Pleiades.Hosting.Infrastructure;
using StackExchange.Redis;

namespace Pleiades.Tests.Counting;

/// <summary>A Redis-protocol server a test class runs against: Garnet in-process or Debian's redis-server.</summary>
public abstract class RedisProtocolServer : IAsyncLifetime
{
    private ConnectionMultiplexer? _connection;

    public int Port { get; } = FreePort.Next();

    public string Address => $"127.0.0.1:{Port}";

    /// <summary>The password the server requires, if any.</summary>
    public virtual string? Password => null;

    public IConnectionMultiplexer Connection => _connection ?? throw new InvalidOperationException("Not started.");

    public async ValueTask InitializeAsync()
    {
        await StartAsync();
        _connection = await ConnectAsync();
    }

    public virtual async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        await StopAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Empties the database between tests (DEL would need KEYS; FLUSHDB is fine without a restart).</summary>
    public async Task FlushAsync() => await Connection.GetDatabase().ExecuteAsync("FLUSHDB");

    /// <summary>A new connection, for tests that need several clients.</summary>
    public Task<ConnectionMultiplexer> ConnectAsync() =>
        ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions
        {
            EndPoints = { Address },
            Password = Password,
            AbortOnConnectFail = false,
            ConnectTimeout = 5000,
            SyncTimeout = 10_000,
            AsyncTimeout = 10_000,
        });

    protected abstract Task StartAsync();

    protected abstract Task StopAsync();
}
