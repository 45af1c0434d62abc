using Pleiades.Tests.Counting;
using Pleiades.Tests.Support;

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

    /// <summary>The app's clock and the tests': today is the fixture's day for as long as they run (a run across midnight
    /// would otherwise see today's counters under yesterday).</summary>
    public NoonClock Clock { get; } = new(DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 86400);

    public long Today => Clock.Day;

    /// <summary>Now on <see cref="Clock"/>: for events of today and the time of the batches that count them.</summary>
    public DateTimeOffset Now => Clock.GetUtcNow();

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
