using Aspire.Hosting.ApplicationModel;

namespace Pleiades.Tests.EndToEnd;

/// <summary>The embedded Redis (Garnet) restarted mid-stream, with the dashboard's Restart command: every service loses its connection.</summary>
[Trait("Category", "Integration")]
public sealed class GarnetRestartTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Garnet_restarted_mid_stream_keeps_every_count_and_counts_the_rest_once()
    {
        using var stream = new MidStream();
        await using var app = await stream.StartAppAsync();

        var countedBeforeRestart = await app.WaitForCountedAsync(MidStream.FaultAt, MidStream.Timeout);
        Assert.True(countedBeforeRestart < MidStream.Events, $"restarted mid-stream ({countedBeforeRestart} of {MidStream.Events} counted)");
        await app.RunCommandAsync("redis", KnownResourceCommands.RestartCommand);
        var countedAfterRestart = await app.ReadCountedAsync();
        var took = await app.WaitForExactCountersAsync(stream.Expected, MidStream.Timeout);

        output.WriteLine($"{MidStream.Events} events: Garnet restarted at {countedBeforeRestart} counted ({countedAfterRestart} shown right after); exact {took.TotalSeconds:F1} s later");
    }
}
