using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using CsCheck;
using Pleiades.Sse;

namespace Pleiades.Tests.Sse;

public class SseParserTests
{
    private static List<(string Type, string Id, string Data)> Parse(string text) =>
        Project(SseChunkFeeder.Parse(Encoding.UTF8.GetBytes(text)));

    private static List<(string Type, string Id, string Data)> Project(IEnumerable<SseFrame> frames) =>
        [.. frames.Select(f => (f.EventType, f.IdText, f.DataText))];

    [Fact]
    public void Data_lines_join_with_line_feeds()
    {
        Assert.Equal([("message", "", "YHOO\n+2\n10")], Parse("data: YHOO\ndata: +2\ndata: 10\n\n"));
    }

    [Fact]
    public void The_specifications_id_example_keeps_and_resets_the_last_event_id()
    {
        var frames = Parse(": test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n\n");

        Assert.Equal([("message", "1", "first event"), ("message", "", "second event"), ("message", "", " third event")], frames);
    }

    [Fact]
    public void Empty_data_lines_dispatch_and_an_unterminated_frame_is_discarded()
    {
        Assert.Equal([("message", "", ""), ("message", "", "\n")], Parse("data\n\ndata\ndata\n\ndata:"));
    }

    [Fact]
    public void Only_one_space_after_the_colon_is_removed()
    {
        Assert.Equal([("message", "", "test"), ("message", "", "test"), ("message", "", " test")], Parse("data:test\n\ndata: test\n\ndata:  test\n\n"));
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r")]
    [InlineData("\r\n")]
    public void Every_line_end_works(string end)
    {
        var text = string.Join(end, "event: edit", "id: 7", "data: a", "data: b", "", "data: c", "", "");

        Assert.Equal([("edit", "7", "a\nb"), ("message", "7", "c")], Parse(text));
    }

    [Fact]
    public void Mixed_line_ends_and_cr_lf_split_across_chunks_are_one_line_end_each()
    {
        var bytes = Encoding.UTF8.GetBytes("data: a\r\r\ndata: b\r\n\rdata: c\n\r\n");
        var expected = Project(SseChunkFeeder.Parse(bytes));

        Assert.Equal([("message", "", "a"), ("message", "", "b"), ("message", "", "c")], expected);
        for (var cut = 0; cut <= bytes.Length; cut++)
        {
            Assert.Equal(expected, Project(SseChunkFeeder.Parse(SseChunkFeeder.Split(bytes, [cut]))));
        }
    }

    [Fact]
    public void A_leading_bom_is_skipped_once_even_when_split()
    {
        byte[] bom = [0xEF, 0xBB, 0xBF];
        var bytes = bom.Concat(Encoding.UTF8.GetBytes("data: x\n\n")).Concat(bom).Concat(Encoding.UTF8.GetBytes("data: y\n\n")).ToArray();
        var parser = new SseParser();

        var frames = Project(SseChunkFeeder.Parse(SseChunkFeeder.Split(bytes, [1, 2]), parser));

        // The second BOM is not at the start of the stream: it makes "\uFEFFdata" an unknown field.
        Assert.Equal([("message", "", "x")], frames);
        Assert.Equal(1, parser.LineCounts.Unknown);
    }

    [Fact]
    public void Comments_unknown_fields_and_event_types_are_handled_as_the_specification_says()
    {
        var parser = new SseParser();
        var frames = Project(SseChunkFeeder.Parse(Encoding.UTF8.GetBytes(":ok\n: keep-alive\nfoo: bar\nevent: error\ndata: broken\n\nevent:\ndata: plain\n\n"), parser));

        Assert.Equal([("error", "", "broken"), ("message", "", "plain")], frames);
        Assert.Equal(new SseLineCounts(Data: 2, Id: 0, Event: 2, Retry: 0, Comment: 2, Unknown: 1), parser.LineCounts);
    }

    [Fact]
    public void Error_frames_are_recognised()
    {
        var frame = Assert.Single(SseChunkFeeder.Parse(Encoding.UTF8.GetBytes("event: error\ndata: {\"message\":\"x\"}\n\n")));

        Assert.True(frame.IsError);
    }

    [Theory]
    [InlineData("retry: 2500\n", 2500)]
    [InlineData("retry: 2500\nretry: 25x\n", 2500)]
    [InlineData("retry: -1\n", null)]
    [InlineData("retry:\n", null)]
    [InlineData("retry: 1.5\n", null)]
    public void Retry_takes_ascii_digits_only(string text, int? expectedMilliseconds)
    {
        var parser = new SseParser();
        SseChunkFeeder.Parse(Encoding.UTF8.GetBytes(text), parser);

        Assert.Equal(expectedMilliseconds is { } ms ? TimeSpan.FromMilliseconds(ms) : null, parser.Retry);
    }

    [Fact]
    public void An_id_containing_nul_is_ignored_and_an_id_only_block_sets_the_last_event_id()
    {
        var parser = new SseParser();
        var frames = Project(SseChunkFeeder.Parse(Encoding.UTF8.GetBytes("id: 1\ndata: a\n\nid: 2\0\ndata: b\n\nid: 3\n\n"), parser));

        Assert.Equal([("message", "1", "a"), ("message", "1", "b")], frames);
        Assert.Equal("3", Encoding.UTF8.GetString(parser.LastEventId.Span));
    }

    [Fact]
    public void A_line_of_a_megabyte_parses_whatever_the_chunking()
    {
        var payload = new string('x', 1 << 20);
        var bytes = Encoding.UTF8.GetBytes($"data: {payload}\n\n");

        var chunks = bytes.Chunk(4096).ToList();

        var frame = Assert.Single(SseChunkFeeder.Parse(chunks));
        Assert.Equal(payload.Length, frame.Data.Length);
    }

    [Fact]
    public void A_line_beyond_the_limit_is_a_format_error()
    {
        var parser = new SseParser(maxLineLength: 100);

        Assert.Throws<SseFormatException>(() => SseChunkFeeder.Parse(Encoding.UTF8.GetBytes("data: " + new string('x', 200)), parser));
    }

    /// <summary>
    /// A capture, completed with the blank line its last frame may lack (wiki-visualizer-2022.sse was saved
    /// without it; a conforming parser discards an unterminated frame, which the test below also checks).
    /// </summary>
    private static byte[] ReadCapture(string name)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryData.Captures, name)).TrimEnd('\n') + "\n\n";
        return Encoding.UTF8.GetBytes(text);
    }

    [Fact]
    public void A_capture_cut_off_before_its_final_blank_line_loses_only_its_last_frame()
    {
        var frames = SseChunkFeeder.Parse(File.ReadAllBytes(Path.Combine(RepositoryData.Captures, "wiki-visualizer-2022.sse")));

        Assert.Equal(2, frames.Count);
    }

    public static TheoryData<string> Captures() => [.. RepositoryData.CaptureFiles().Select(f => Path.GetFileName(f))];

    [Theory]
    [MemberData(nameof(Captures))]
    public void Every_capture_parses_into_json_events_with_json_array_ids(string name)
    {
        var bytes = ReadCapture(name);
        var expectedFrames = Encoding.UTF8.GetString(bytes).Split('\n').Count(line => line.StartsWith("data:", StringComparison.Ordinal));

        var frames = SseChunkFeeder.Parse(bytes);

        Assert.Equal(expectedFrames, frames.Count);
        Assert.All(frames, frame =>
        {
            Assert.Equal("message", frame.EventType);
            using var data = JsonDocument.Parse(frame.Data);
            Assert.False(string.IsNullOrEmpty(data.RootElement.GetProperty("meta").GetProperty("id").GetString()));
            using var id = JsonDocument.Parse(frame.Id);
            Assert.Equal(JsonValueKind.Array, id.RootElement.ValueKind);
        });
    }

    [Fact]
    public void Any_chunking_of_the_captures_parses_to_the_same_frames()
    {
        var text = string.Concat(RepositoryData.CaptureFiles().Select(f => Encoding.UTF8.GetString(ReadCapture(f))))
            + ": comment\r\nid: 9\r\nevent: error\rdata: a\r\ndata:\r\n\r\ndata: tail\n\n";
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes(text)).ToArray();
        var expected = Project(SseChunkFeeder.Parse(bytes));
        Assert.Equal(4 + 2, expected.Count);
        Assert.Equal(("error", "9", "a\n"), expected[^2]);

        Gen.Int[0, bytes.Length].Array[0, 40].Sample(
            cuts => Assert.Equal(expected, Project(SseChunkFeeder.Parse(SseChunkFeeder.Split(bytes, cuts)))),
            iter: 300);
    }

    [Fact]
    public async Task The_stream_reader_yields_every_frame_of_a_pipe()
    {
        var bytes = ReadCapture("wiki-visualizer-2022.sse");
        var pipe = new Pipe();
        var writing = Task.Run(async () =>
        {
            foreach (var chunk in bytes.Chunk(97))
            {
                await pipe.Writer.WriteAsync(chunk, TestContext.Current.CancellationToken);
            }

            await pipe.Writer.CompleteAsync();
        }, TestContext.Current.CancellationToken);

        var reader = new SseStreamReader(pipe.Reader, new SseParser(), TimeSpan.FromSeconds(30));
        var frames = new List<SseFrame>();
        await foreach (var frame in reader.ReadFramesAsync(TestContext.Current.CancellationToken))
        {
            frames.Add(frame);
        }

        await writing.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(3, frames.Count);
    }

    [Fact]
    public async Task A_silent_stream_fails_with_a_timeout_instead_of_hanging()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(":ok\n\n"u8.ToArray(), TestContext.Current.CancellationToken);
        var reader = new SseStreamReader(pipe.Reader, new SseParser(), TimeSpan.FromMilliseconds(200));

        var reading = Task.Run(async () =>
        {
            await foreach (var _ in reader.ReadFramesAsync(TestContext.Current.CancellationToken))
            {
            }
        }, TestContext.Current.CancellationToken);

        await Assert.ThrowsAsync<TimeoutException>(() => reading.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
    }
}
