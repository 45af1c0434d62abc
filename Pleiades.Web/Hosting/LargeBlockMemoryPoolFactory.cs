using System.Buffers;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;
using Pleiades.Web.Telemetry;

namespace Pleiades.Web.Hosting;

/// <summary>
/// Gives Kestrel's socket transport <see cref="LargeBlockMemoryPool"/>s of <c>Web:Transport:MemoryBlockSize</c> bytes
/// (ASP.NET Core asks the registered <see cref="IMemoryPoolFactory{T}"/> for one pool per I/O queue).
/// </summary>
internal sealed class LargeBlockMemoryPoolFactory(IOptions<WebOptions> options, WebTelemetry telemetry) : IMemoryPoolFactory<byte>
{
    public MemoryPool<byte> Create(MemoryPoolOptions? poolOptions = null) =>
        new LargeBlockMemoryPool(options.Value.Transport.MemoryBlockSize, telemetry.MemoryPool);
}
