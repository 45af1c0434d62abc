using System.Text;
using Pleiades.Replay;
using Pleiades.Tests.Support;

namespace Pleiades.Tests.Replay;

public class JsonLinesTests
{
    private static readonly string[] WikidataBatch = File.ReadAllLines(Path.Combine(RepositoryPaths.Data, "samples", "one_qs_batch.jsonl"));

    private static List<string> Read(byte[] bytes, int slabSize) =>
        [.. JsonLines.Read(new MemoryStream(bytes), slabSize).Select(line => Encoding.UTF8.GetString(line.Span))];

    [Theory]
    // Slabs smaller than one event, about one event, many events, and the whole file in one.
    [InlineData(64)]
    [InlineData(1_000)]
    [InlineData(50_000)]
    [InlineData(JsonLines.DefaultSlabSize)]
    public void Every_line_of_a_real_capture_comes_back_whole_whatever_the_slab_size(int slabSize)
    {
        var bytes = Encoding.UTF8.GetBytes(string.Join('\n', WikidataBatch) + "\n");

        var lines = Read(bytes, slabSize);

        Assert.Equal(WikidataBatch.Length, lines.Count);
        Assert.Equal(WikidataBatch, lines);
    }

    [Fact]
    public void Blank_lines_are_skipped_and_lines_are_trimmed_including_a_last_line_without_its_end()
    {
        var bytes = "  {\"a\":1}\r\n\n\t\r\n{\"b\":2}  \n{\"c\":3}"u8.ToArray();

        Assert.Equal(["{\"a\":1}", "{\"b\":2}", "{\"c\":3}"], Read(bytes, 8));
    }

    [Fact]
    public void Lines_share_their_slab_rather_than_each_having_an_array()
    {
        var bytes = Encoding.UTF8.GetBytes(string.Join('\n', WikidataBatch.Take(100)));

        var arrays = JsonLines.Read(new MemoryStream(bytes))
            .Select(line => System.Runtime.InteropServices.MemoryMarshal.TryGetArray(line, out var segment) ? segment.Array : null)
            .Distinct()
            .ToList();

        Assert.Single(arrays);
    }
}
