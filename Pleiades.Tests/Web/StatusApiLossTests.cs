using System.Net.Http.Json;
using System.Text.Json;
using Pleiades.Aggregator.Losses;
using Pleiades.Counters;
using Pleiades.Tests.Counting;

namespace Pleiades.Tests.Web;

/// <summary><c>/api/status</c> reports the events the Aggregators recorded as lost, over real HTTP against Garnet.</summary>
[Trait("Category", "Integration")]
public sealed class StatusApiLossTests(GarnetServer server) : IClassFixture<GarnetServer>
{
    [Fact]
    public async Task Status_reports_recorded_losses_once_each_even_when_today_has_no_counters()
    {
        var ct = TestContext.Current.CancellationToken;
        await server.FlushAsync();
        var store = new RedisLossStore(server.Connection);
        var kafkaGap = new LogGap("kafka:c1:pleiades-events", "3", 1000, 1250, 250, null, "250 events of pleiades-events partition 3 (offsets 1000 to 1249) were gone");
        Assert.Equal(250, await store.RecordAsync(kafkaGap, 1_700_000_000_000));
        // The same gap found again (another Aggregator, a restart) adds nothing; found wider, only the difference.
        Assert.Equal(0, await store.RecordAsync(kafkaGap, 1_700_000_001_000));
        Assert.Equal(50, await store.RecordAsync(kafkaGap with { To = 1300, LostEvents = 300 }, 1_700_000_002_000));
        var fileGap = new LogGap("file:0c5e", RedisKeys.FilePositionField, 42, (7L << 40) | 16, null, 3_000_000, "the file log's retention deleted 3000000 bytes");
        Assert.Equal(0, await store.RecordAsync(fileGap, 1_700_000_003_000));

        await using var app = await WebAppHost.StartAsync(server.Address);
        var status = await app.Client.GetFromJsonAsync<JsonElement>("api/status", ct);

        var loss = status.GetProperty("Loss");
        Assert.Equal(2, loss.GetProperty("Losses").GetInt64());
        Assert.Equal(300, loss.GetProperty("LostEvents").GetInt64());
        Assert.Equal(3_000_000, loss.GetProperty("LostBytes").GetInt64());
        Assert.Equal(1_700_000_003_000, loss.GetProperty("LastLossUnixMs").GetInt64());
        Assert.Equal(fileGap.Description, loss.GetProperty("LastLoss").GetString());
    }

    [Fact]
    public async Task Status_has_no_loss_when_none_was_recorded()
    {
        var ct = TestContext.Current.CancellationToken;
        await server.FlushAsync();

        await using var app = await WebAppHost.StartAsync(server.Address);
        var status = await app.Client.GetFromJsonAsync<JsonElement>("api/status", ct);

        Assert.Equal(JsonValueKind.Null, status.GetProperty("Loss").ValueKind);
    }
}
