using System.Runtime.InteropServices;
using Pleiades.Web.Server;
using Pleiades.Web.Telemetry;

namespace Pleiades.Tests.Web;

/// <summary>The pool of Kestrel's connection buffers (<see cref="LargeBlockMemoryPool"/>): block sizes, reuse, its bound, its counts; over HTTP: KestrelTransportTests.</summary>
public sealed class LargeBlockMemoryPoolTests
{
    private const int BlockSize = 64 * 1024;

    [Fact]
    public void Every_block_is_a_whole_array_of_the_block_size_whatever_was_asked()
    {
        using var pool = new LargeBlockMemoryPool(BlockSize, new MemoryPoolUsage());

        foreach (var asked in new[] { -1, 0, 1, 4096, BlockSize })
        {
            using var block = pool.Rent(asked);
            Assert.Equal(BlockSize, block.Memory.Length);
            // Kestrel's socket sender hands the blocks to sendmsg as array segments and refuses memory without an array.
            Assert.True(MemoryMarshal.TryGetArray<byte>(block.Memory, out var array));
            Assert.Equal(BlockSize, array.Count);
        }

        Assert.Equal(BlockSize, pool.MaxBufferSize);
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent(BlockSize + 1));
    }

    [Fact]
    public void A_returned_block_is_rented_again_and_the_usage_counts_it_once()
    {
        var usage = new MemoryPoolUsage();
        using var pool = new LargeBlockMemoryPool(BlockSize, usage);

        var first = pool.Rent();
        var array = ArrayOf(first);
        Assert.Equal((BlockSize, 0L, BlockSize), (usage.RentedBytes, usage.PooledBytes, usage.AllocatedBytes));
        first.Dispose();
        Assert.Equal((0L, BlockSize, BlockSize), (usage.RentedBytes, usage.PooledBytes, usage.AllocatedBytes));

        using var second = pool.Rent();
        Assert.Same(array, ArrayOf(second));
        Assert.Equal((BlockSize, 0L, BlockSize), (usage.RentedBytes, usage.PooledBytes, usage.AllocatedBytes));
    }

    [Fact]
    public void A_block_disposed_twice_goes_back_to_the_pool_once()
    {
        var usage = new MemoryPoolUsage();
        using var pool = new LargeBlockMemoryPool(BlockSize, usage);

        var block = pool.Rent();
        block.Dispose();
        block.Dispose();

        // Pooled twice, two renters would write into one buffer.
        Assert.Equal(1, pool.PooledBlocks);
        using var one = pool.Rent();
        using var other = pool.Rent();
        Assert.NotSame(ArrayOf(one), ArrayOf(other));
        Assert.Equal(2L * BlockSize, usage.AllocatedBytes);
    }

    [Fact]
    public void At_most_its_bound_of_free_blocks_is_kept()
    {
        const int bigBlock = 1024 * 1024;
        var bound = (int)(LargeBlockMemoryPool.MaxPooledBytes / bigBlock);
        var usage = new MemoryPoolUsage();
        using var pool = new LargeBlockMemoryPool(bigBlock, usage);

        var blocks = Enumerable.Range(0, bound + 4).Select(_ => pool.Rent()).ToList();
        blocks.ForEach(b => b.Dispose());

        Assert.Equal(bound, pool.PooledBlocks);
        Assert.Equal((0L, LargeBlockMemoryPool.MaxPooledBytes), (usage.RentedBytes, usage.PooledBytes));
        Assert.Equal((bound + 4L) * bigBlock, usage.AllocatedBytes);
    }

    [Fact]
    public void A_disposed_pool_lets_its_blocks_go_and_rents_no_more()
    {
        var usage = new MemoryPoolUsage();
        var pool = new LargeBlockMemoryPool(BlockSize, usage);
        pool.Rent().Dispose();
        var late = pool.Rent();

        pool.Dispose();
        late.Dispose();

        Assert.Equal((0, 0L, 0L), (pool.PooledBlocks, usage.RentedBytes, usage.PooledBytes));
        Assert.Throws<ObjectDisposedException>(() => pool.Rent());
    }

    private static byte[] ArrayOf(System.Buffers.IMemoryOwner<byte> block) =>
        MemoryMarshal.TryGetArray<byte>(block.Memory, out var segment) ? segment.Array! : throw new InvalidOperationException("no array");
}
