using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Pleiades.Web.Telemetry;

namespace Pleiades.Web.Server;

/// <summary>
/// Kestrel's connection buffers in blocks of <see cref="MaxBufferSize"/> bytes instead of ASP.NET Core's 4 KiB. A
/// response body is copied into its connection's pipe block by block (rent, copy, advance, one iovec each in the send,
/// return), so the 86 KB day document took 22 blocks and now takes one. Blocks are pinned arrays, as Kestrel's socket
/// sender needs array-backed memory; at most <see cref="MaxPooledBytes"/> of free blocks are kept, the rest are left
/// to the garbage collector, and <see cref="MemoryPoolUsage"/> counts what is rented, pooled and allocated.
/// </summary>
internal sealed class LargeBlockMemoryPool : MemoryPool<byte>
{
    /// <summary>
    /// Free blocks kept per pool (Kestrel makes one per I/O queue). A block is out only while a request is read or a
    /// response waits to be sent, so a busy Web holds far fewer blocks than connections (docs/web.md).
    /// </summary>
    public const long MaxPooledBytes = 16 * 1024 * 1024;

    private readonly int _blockSize;
    private readonly int _maxPooledBlocks;
    private readonly MemoryPoolUsage _usage;
    private readonly ConcurrentQueue<Block> _free = new();
    private int _pooledBlocks;
    private volatile bool _disposed;

    public LargeBlockMemoryPool(int blockSize, MemoryPoolUsage usage)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        _blockSize = blockSize;
        _maxPooledBlocks = (int)Math.Max(1, MaxPooledBytes / blockSize);
        _usage = usage;
    }

    public override int MaxBufferSize => _blockSize;

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, _blockSize);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_free.TryDequeue(out var block))
        {
            Interlocked.Decrement(ref _pooledBlocks);
            _usage.Rented(_blockSize, fromPool: true);
        }
        else
        {
            block = new Block(this, GC.AllocateUninitializedArray<byte>(_blockSize, pinned: true));
            _usage.Rented(_blockSize, fromPool: false);
        }

        block.Lease();
        return block;
    }

    /// <summary>Free blocks held now (for tests and the usage counters' consistency).</summary>
    public int PooledBlocks => Volatile.Read(ref _pooledBlocks);

    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        while (_free.TryDequeue(out _))
        {
            Interlocked.Decrement(ref _pooledBlocks);
            _usage.Dropped(_blockSize);
        }
    }

    private void Return(Block block)
    {
        // Over the bound (or after Kestrel stopped) the block is not kept: the collector frees it.
        if (!_disposed && Interlocked.Increment(ref _pooledBlocks) <= _maxPooledBlocks)
        {
            _free.Enqueue(block);
            _usage.Returned(_blockSize, pooled: true);
            return;
        }

        if (!_disposed)
        {
            Interlocked.Decrement(ref _pooledBlocks);
        }

        _usage.Returned(_blockSize, pooled: false);
    }

    private sealed class Block(LargeBlockMemoryPool pool, byte[] array) : IMemoryOwner<byte>
    {
        private int _leased;

        public Memory<byte> Memory { get; } = MemoryMarshal.CreateFromPinnedArray(array, 0, array.Length);

        public void Lease() => Volatile.Write(ref _leased, 1);

        // A second Dispose must not put the block in the pool twice (two renters would then share it).
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _leased, 0) == 1)
            {
                pool.Return(this);
            }
        }
    }
}
