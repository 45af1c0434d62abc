using System.Buffers;
using Microsoft.AspNetCore.Connections;
using Pleiades.Web.Telemetry;

namespace Pleiades.Web.Server;

/// <summary>
/// Gives Kestrel's socket transport <see cref="LargeBlockMemoryPool"/>s of <c>Web:Transport:MemoryBlockSize</c> bytes
/// (ASP.NET Core asks the registered <see cref="IMemoryPoolFactory{T}"/> for one pool per I/O queue), all counted in one <see cref="MemoryPoolUsage"/>.
/// </summary>
internal sealed class LargeBlockMemoryPoolFactory(int blockSize, MemoryPoolUsage usage) : IMemoryPoolFactory<byte>
{
    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new LargeBlockMemoryPool(blockSize, usage);
}
