namespace Pleiades.Tests.EndToEnd;

/// <summary>An Aggregator's process killed (SIGKILL) mid-stream, in the middle of applying batches, and started again.</summary>
[Trait("Category", "Integration")]
public sealed class AggregatorKillTests(ITestOutputHelper output)
{
    [Fact]
    public async Task An_Aggregator_killed_and_restarted_mid_stream_counts_every_event_once()
    {
        using var stream = new MidStream();
        await using var app = await stream.StartAppAsync();

        await app.WaitForCountedAsync(MidStream.FaultAt, MidStream.Timeout);
        var aggregator = await app.KillAsync("aggregator");
        var countedAtKill = await app.ReadCountedAsync();
        Assert.True(countedAtKill < MidStream.Events, $"killed mid-stream ({countedAtKill} of {MidStream.Events} counted)");
        await app.StartResourceAsync(aggregator);
        var took = await app.WaitForExactCountersAsync(stream.Expected, MidStream.Timeout);

        output.WriteLine($"{MidStream.Events} events: Aggregator killed at {countedAtKill} counted; exact {took.TotalSeconds:F1} s after its restart began");
    }
}
