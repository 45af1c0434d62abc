using System.Text;
using CsCheck;
using Pleiades.Ingest;
using Pleiades.Ingest.Sink;
using Pleiades.Ingest.Source;
using Pleiades.Retry;
using Pleiades.Tests.Events;

namespace Pleiades.Tests.Ingest;

public class RelayPartsTests
{
    [Fact]
    public void The_resume_copy_holds_the_last_acknowledged_batch_however_soon_it_follows_the_one_before()
    {
        var directory = Directory.CreateTempSubdirectory("pleiades-resume-").FullName;
        try
        {
            var store = new ResumeIdStore(directory);
            store.Write("""[{"partition":0,"offset":1}]"""u8.ToArray(), 1_000);
            store.Write("""[{"partition":0,"offset":2}]"""u8.ToArray(), 2_000);

            // A copy one batch behind would make an Ingest restarted on an empty log deliver that batch again.
            var read = new ResumeIdStore(directory).Read();
            Assert.NotNull(read);
            Assert.Equal("""[{"partition":0,"offset":2}]""", Encoding.UTF8.GetString(read.Id.Span));
            Assert.Equal(2_000, read.TimeUnixMs);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void An_offset_minus_one_entry_becomes_the_newest_timestamp_of_the_id()
    {
        var id = """[{"topic":"eqiad.mediawiki.recentchange","partition":0,"timestamp":1670732822001},{"topic":"codfw.mediawiki.recentchange","partition":0,"offset":-1}]""";

        var rewritten = LastEventIdRewriter.Rewrite(Encoding.UTF8.GetBytes(id), lastEventUnixMs: 5);

        Assert.Equal("""[{"topic":"eqiad.mediawiki.recentchange","partition":0,"timestamp":1670732822001},{"topic":"codfw.mediawiki.recentchange","partition":0,"timestamp":1670732822001}]""", rewritten);
    }

    [Fact]
    public void Without_a_timestamp_in_the_id_the_last_events_time_is_used_and_other_ids_pass_unchanged()
    {
        var id = """[{"topic":"eqiad.mediawiki.recentchange","partition":0,"offset":42},{"topic":"codfw.mediawiki.recentchange","partition":0,"offset":-1}]""";

        Assert.Equal(
            """[{"topic":"eqiad.mediawiki.recentchange","partition":0,"offset":42},{"topic":"codfw.mediawiki.recentchange","partition":0,"timestamp":1700000000000}]""",
            LastEventIdRewriter.Rewrite(Encoding.UTF8.GetBytes(id), 1_700_000_000_000));
        Assert.Equal("plain-id", LastEventIdRewriter.Rewrite("plain-id"u8, 1));
        Assert.Equal("""[{"offset":7}]""", LastEventIdRewriter.Rewrite("""[{"offset":7}]"""u8, 1));
    }

    [Fact]
    public void The_dedupe_window_forgets_the_oldest_ids_first()
    {
        var window = new MetaIdWindow(3);
        var ids = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid()).ToArray();

        Assert.True(window.TryAdd(ids[0]));
        Assert.True(window.TryAdd(ids[1]));
        Assert.False(window.TryAdd(ids[0]));
        Assert.True(window.TryAdd(ids[2]));
        Assert.True(window.TryAdd(ids[3]));
        Assert.True(window.TryAdd(ids[0]), "ids[0] left the window when ids[3] arrived");
        Assert.Equal(3, window.Count);
    }

    [Fact]
    public void Backoff_grows_exponentially_with_jitter_is_capped_and_honours_the_server()
    {
        var backoff = new ExponentialBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10));
        Gen.Int[0, 40].Sample(attempt =>
        {
            var ceiling = Math.Min(100 * Math.Pow(2, Math.Min(attempt, 30)), 10_000);
            Assert.InRange(backoff.Next(attempt).TotalMilliseconds, ceiling / 2, ceiling);
        });

        Assert.InRange(backoff.Next(0, baseDelay: TimeSpan.FromSeconds(3)).TotalMilliseconds, 1_500, 3_000);
        Assert.Equal(TimeSpan.FromSeconds(30), backoff.Next(0, retryAfter: TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void Metadata_is_read_from_every_real_event_and_survives_garbage()
    {
        foreach (var line in File.ReadLines(RealSamples.PathOf(RealSamples.WikidataBatch2018)).Take(500))
        {
            var metadata = EventMetadata.Read(Encoding.UTF8.GetBytes(line));
            Assert.True(metadata.IsJsonObject);
            Assert.NotNull(metadata.MetaId);
            Assert.True(metadata.TimeUnixMs > 1_500_000_000_000, line[..80]);
        }

        Assert.False(EventMetadata.Read("not json"u8).IsJsonObject);
        Assert.False(EventMetadata.Read("[1]"u8).IsJsonObject);
        Assert.False(EventMetadata.Read("{\"meta\":{\"id\":"u8).IsJsonObject);
        var notGuid = EventMetadata.Read("{\"meta\":{\"id\":\"abc\"}}"u8);
        Assert.Equal(notGuid.MetaId, EventMetadata.Read("{\"meta\":{\"id\":\"abc\"}}"u8).MetaId);
        Assert.NotEqual(notGuid.MetaId, EventMetadata.Read("{\"meta\":{\"id\":\"abd\"}}"u8).MetaId);
    }

    [Fact]
    public void The_ingest_help_lists_the_original_and_the_new_flags()
    {
        var output = new StringWriter();

        var result = Pleiades.Ingest.IngestCommandLine.Create().Parse(["--help"], output, new StringWriter());

        Assert.Equal(0, result.ExitCode);
        foreach (var flag in new[] { "--file.enable", "--file.publishDir", "--kafka.enable", "--kafka.broker", "--kafka.topic", "--resume", "--stream.url", "--since", "--user-agent", "--metricsPort" })
        {
            Assert.Contains(flag, output.ToString(), StringComparison.Ordinal);
        }
    }
}
