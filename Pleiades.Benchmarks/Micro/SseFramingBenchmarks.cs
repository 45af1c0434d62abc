using System.Buffers;
using BenchmarkDotNet.Attributes;
using Pleiades.Sse;

namespace Pleiades.Benchmarks.Micro;

/// <summary>
/// SSE framing: 10,000 EventStreams frames through <see cref="SseParser"/>, as one buffer and as the 16 KiB chunks
/// a socket delivers. Time and allocations are per frame; MB/s = body bytes / (frames x time per frame).
/// </summary>
[Config(typeof(MicroConfig))]
public class SseFramingBenchmarks
{
    private const int ChunkBytes = 16 * 1024;

    private byte[] _body = [];

    [GlobalSetup]
    public void Setup()
    {
        _body = BenchmarkInput.SseBody();
        Console.WriteLine($"// SSE body: {_body.Length} bytes, {BenchmarkInput.Count} frames, {_body.Length / (double)BenchmarkInput.Count:F0} bytes per frame");
    }

    [Benchmark(OperationsPerInvoke = BenchmarkInput.Count)]
    public int FramesFromOneBuffer()
    {
        var parser = new SseParser();
        var buffer = new ReadOnlySequence<byte>(_body);
        var frames = 0;
        while (parser.TryReadFrame(ref buffer, out _))
        {
            frames++;
        }

        return frames;
    }

    [Benchmark(OperationsPerInvoke = BenchmarkInput.Count)]
    public int FramesFrom16KiBChunks()
    {
        var parser = new SseParser();
        var frames = 0;
        var start = 0;
        var end = 0;
        while (end < _body.Length)
        {
            // What a reader keeps (the incomplete rest) plus the next chunk, as a PipeReader would present it.
            end = Math.Min(_body.Length, end + ChunkBytes);
            var buffer = new ReadOnlySequence<byte>(_body, start, end - start);
            while (parser.TryReadFrame(ref buffer, out _))
            {
                frames++;
            }

            start = end - (int)buffer.Length;
        }

        return frames;
    }
}
