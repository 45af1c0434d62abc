using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Pleiades.Hosting.Infrastructure;
using Pleiades.Web;
using Pleiades.Web.Server;
using Pleiades.Web.Telemetry;

namespace Pleiades.Tests.Web;

/// <summary>
/// Kestrel's socket transport as <c>Web:Transport</c> sets it (<see cref="KestrelTransport"/>): inline scheduling and
/// the large-block pool by default, ASP.NET Core's defaults when turned off; a large file served whole either way.
/// The dashboard's browser tests (Blazor Server over SignalR) run with the defaults too.
/// </summary>
[Trait("Category", "Integration")]
public sealed class KestrelTransportTests
{
    private const string LargeFile = "lib/chart.js/chart.umd.min.js";

    [Fact]
    public async Task By_default_requests_run_inline_and_responses_leave_through_the_large_blocks()
    {
        await using var app = await WebAppHost.StartAsync($"127.0.0.1:{FreePort.Next()}");

        Assert.True(app.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value.UnsafePreferInlineScheduling);
        Assert.IsType<LargeBlockMemoryPoolFactory>(app.Services.GetRequiredService<IMemoryPoolFactory<byte>>());

        await AssertServesTheLargeFileWholeAsync(app);
        var usage = app.Services.GetRequiredService<WebTelemetry>().MemoryPool;
        Assert.True(usage.AllocatedBytes > 0, "no block of the Web's pool was used");
        Assert.Equal(0, usage.AllocatedBytes % WebOptions.TransportSettings.DefaultMemoryBlockSize);

        var metrics = await app.ScrapeMetricsAsync();
        Assert.Contains("pleiades_web_memory_pool_bytes{", metrics, StringComparison.Ordinal);
        Assert.Contains("pleiades_web_memory_pool_allocated_bytes_total", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Turned_off_the_transport_is_ASP_NET_Cores_own()
    {
        await using var app = await WebAppHost.StartAsync($"127.0.0.1:{FreePort.Next()}", new Dictionary<string, string?>
        {
            [KestrelTransport.Section + ":InlineScheduling"] = "false",
            [KestrelTransport.Section + ":MemoryBlockSize"] = "0",
        });

        Assert.False(app.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value.UnsafePreferInlineScheduling);
        Assert.IsNotType<LargeBlockMemoryPoolFactory>(app.Services.GetRequiredService<IMemoryPoolFactory<byte>>());

        await AssertServesTheLargeFileWholeAsync(app);
        Assert.Equal(0, app.Services.GetRequiredService<WebTelemetry>().MemoryPool.AllocatedBytes);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(4096, true)]
    [InlineData(1024 * 1024, true)]
    [InlineData(4095, false)]
    [InlineData(1024 * 1024 + 1, false)]
    [InlineData(-1, false)]
    public void Block_sizes_are_0_or_4_KiB_to_1_MiB(int blockSize, bool valid)
    {
        var options = new WebOptions { Transport = { MemoryBlockSize = blockSize } };

        var result = new WebOptionsValidator().Validate(null, options);

        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.StartsWith("Web:Transport:MemoryBlockSize must be between 4096 and 1048576", Assert.Single(result.Failures!), StringComparison.Ordinal);
        }
    }

    /// <summary>A static file of a few hundred KB, more than one large block and many 4 KiB ones, compared byte for byte.</summary>
    private static async Task AssertServesTheLargeFileWholeAsync(WebAppHost app)
    {
        var expected = await File.ReadAllBytesAsync(Path.Combine(WebTestPaths.WebProject, "wwwroot", LargeFile), TestContext.Current.CancellationToken);
        Assert.True(expected.Length > WebOptions.TransportSettings.DefaultMemoryBlockSize, $"{LargeFile} is only {expected.Length} bytes");

        for (var i = 0; i < 3; i++)
        {
            var body = await app.Client.GetByteArrayAsync(new Uri(LargeFile, UriKind.Relative), TestContext.Current.CancellationToken);
            Assert.Equal(expected, body);
        }
    }
}
