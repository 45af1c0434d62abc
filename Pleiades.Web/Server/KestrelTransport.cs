using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Pleiades.Web.Telemetry;

namespace Pleiades.Web.Server;

/// <summary>
/// Kestrel's socket transport as <c>Web:Transport</c> sets it: requests handled inline on the thread that received
/// them, and connection buffers in large blocks (<see cref="LargeBlockMemoryPool"/>). docs/web.md says when each pays.
/// </summary>
internal static class KestrelTransport
{
    public const string Section = WebOptions.Section + ":Transport";

    public static WebApplicationBuilder AddKestrelTransport(this WebApplicationBuilder builder)
    {
        // Read here, not through IOptions<WebOptions>: building the app creates Kestrel's transport, and that must not
        // validate the Web's settings before the command line reports their problems (exit code 2).
        var transport = builder.Configuration.GetSection(Section).Get<WebOptions.TransportSettings>() ?? new();
        builder.Services.Configure<SocketTransportOptions>(sockets => sockets.UnsafePreferInlineScheduling = transport.InlineScheduling);

        // Registered after Kestrel's own factory (WebApplication.CreateBuilder adds it), so Kestrel resolves this one.
        if (transport.MemoryBlockSize != WebOptions.TransportSettings.AspNetCoreBlocks)
        {
            builder.Services.AddSingleton<IMemoryPoolFactory<byte>>(services =>
                new LargeBlockMemoryPoolFactory(transport.MemoryBlockSize, services.GetRequiredService<WebTelemetry>().MemoryPool));
        }

        return builder;
    }
}
