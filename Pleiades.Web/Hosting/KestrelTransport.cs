using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Options;

namespace Pleiades.Web.Hosting;

/// <summary>
/// Kestrel's socket transport as <c>Web:Transport</c> sets it: requests handled inline on the thread that received
/// them, and connection buffers in large blocks (<see cref="LargeBlockMemoryPool"/>). BENCHMARKS.md, optimisation 19.
/// </summary>
internal static class KestrelTransport
{
    public const string Section = WebOptions.Section + ":Transport";

    public static WebApplicationBuilder AddKestrelTransport(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SocketTransportOptions>().Configure<IOptions<WebOptions>>((sockets, web) =>
            sockets.UnsafePreferInlineScheduling = web.Value.Transport.InlineScheduling);

        // Registered after Kestrel's own factory (WebApplication.CreateBuilder adds it), so Kestrel resolves this one.
        var transport = builder.Configuration.GetSection(Section).Get<WebOptions.TransportSettings>() ?? new();
        if (transport.MemoryBlockSize != WebOptions.TransportSettings.AspNetCoreBlocks)
        {
            builder.Services.AddSingleton<IMemoryPoolFactory<byte>, LargeBlockMemoryPoolFactory>();
        }

        return builder;
    }
}
