namespace Pleiades.Web.Telemetry;

/// <summary>
/// Bytes of Kestrel's connection buffers (<see cref="Server.LargeBlockMemoryPool"/>): rented now, pooled now, and
/// allocated so far. Plain interlocked numbers that <see cref="WebTelemetry"/> reads when metrics are collected, so a
/// rent costs no instrument call (ASP.NET Core's own pool meter makes one per 4 KiB block, which showed in profiles).
/// </summary>
public sealed class MemoryPoolUsage
{
    private long _rentedBytes;
    private long _pooledBytes;
    private long _allocatedBytes;

    public long RentedBytes => Interlocked.Read(ref _rentedBytes);

    public long PooledBytes => Interlocked.Read(ref _pooledBytes);

    /// <summary>Blocks made anew, in bytes: it grows with load, or steadily when the pool's bound is too small for it.</summary>
    public long AllocatedBytes => Interlocked.Read(ref _allocatedBytes);

    internal void Rented(int bytes, bool fromPool)
    {
        Interlocked.Add(ref _rentedBytes, bytes);
        if (fromPool)
        {
            Interlocked.Add(ref _pooledBytes, -bytes);
        }
        else
        {
            Interlocked.Add(ref _allocatedBytes, bytes);
        }
    }

    internal void Returned(int bytes, bool pooled)
    {
        Interlocked.Add(ref _rentedBytes, -bytes);
        if (pooled)
        {
            Interlocked.Add(ref _pooledBytes, bytes);
        }
    }

    internal void Dropped(int bytes) => Interlocked.Add(ref _pooledBytes, -bytes);
}
