using Pleiades.Tests.Counting;

namespace Pleiades.Tests.Web;

/// <summary>
/// A class fixture with a redis-server (or another Redis-protocol server, such as Garnet) and the Web app over it.
/// The runner does not dispose a fixture whose start threw, so a failed start stops here whatever it had started.
/// </summary>
public abstract class WebAppFixture : IAsyncLifetime
{
    protected WebAppFixture()
        : this(new DebianRedisServer())
    {
    }

    protected WebAppFixture(RedisProtocolServer redis) => Redis = redis;

    public RedisProtocolServer Redis { get; }

    public WebAppHost App { get; protected set; } = null!;

    public long Today { get; } = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 86400;

    public async ValueTask InitializeAsync()
    {
        try
        {
            await Redis.InitializeAsync();
            await StartAsync();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>Writes the counters and starts the app (and whatever else the tests need).</summary>
    protected abstract Task StartAsync();

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (App is not null)
        {
            await App.DisposeAsync();
        }

        await Redis.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Stops what <see cref="StartAsync"/> started beside the app.</summary>
    protected virtual Task StopAsync() => Task.CompletedTask;
}
