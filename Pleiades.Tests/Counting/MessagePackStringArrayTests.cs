using Pleiades.Aggregator.Counting;
using Pleiades.Counters;
using StackExchange.Redis;

namespace Pleiades.Tests.Counting;

/// <summary>The packed script argument, decoded by Garnet's <c>cmsgpack</c> (in-process).</summary>
[Trait("Category", "Integration")]
public sealed class MessagePackStringArrayOnGarnetTests(GarnetServer server) : MessagePackStringArrayTests(server), IClassFixture<GarnetServer>;

/// <summary>The packed script argument, decoded by Debian redis-server's <c>cmsgpack</c>.</summary>
[Trait("Category", "Integration")]
public sealed class MessagePackStringArrayOnRedisTests(DebianRedisServer server) : MessagePackStringArrayTests(server), IClassFixture<DebianRedisServer>;

/// <summary>
/// <see cref="MessagePackStringArray"/> read back by the servers' own MessagePack decoder, the one the counter
/// script uses: every string, of every header size, must arrive as written.
/// </summary>
public abstract class MessagePackStringArrayTests(RedisProtocolServer server)
{
    private const string Echo = "return cmsgpack.unpack(ARGV[1])";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Every_string_arrives_as_written()
    {
        string[] texts = ["", "h", new string('a', 31), new string('b', 32), new string('é', 128), new string('c', 65_535), new string('d', 70_000), "zh_\u5927|\U0001F600"];
        using var array = new MessagePackStringArray();
        foreach (var text in texts)
        {
            array.Add(text);
        }

        array.Add("enwiki", RedisKeys.SeparatorText, "Title");
        array.Add(-42);
        array.Add(7, 4);
        array.Add(13, 2, RedisKeys.SeparatorText, "dewiki");
        array.Add(long.MaxValue);

        var decoded = await UnpackAsync(array);

        Assert.Equal([.. texts, "enwiki|Title", "-42", "0007", "13|dewiki", "9223372036854775807"], decoded);
    }

    [Fact]
    public async Task Truncating_to_a_mark_forgets_what_followed_and_a_placeholder_can_be_filled_in()
    {
        using var array = new MessagePackStringArray();
        array.Add("kept");
        var placeholder = array.Next;
        array.Add(0, 10);
        var mark = array.Next;
        array.Add("dropped");
        array.Add(new string('x', 300));
        array.Truncate(mark);
        array.Overwrite(placeholder, 1234, 10);
        array.Add("after");

        Assert.Equal(["kept", "0000001234", "after"], await UnpackAsync(array));
    }

    [Fact]
    public async Task A_hundred_thousand_strings_arrive_in_order()
    {
        // The size of a 10,000-event batch's operations, past the pooled buffer's first size several times over.
        using var array = new MessagePackStringArray();
        for (var i = 0; i < 100_000; i++)
        {
            array.Add(i, 0, RedisKeys.SeparatorText, "wiki");
        }

        var decoded = await UnpackAsync(array);

        Assert.Equal(100_000, array.Count);
        Assert.Equal(Enumerable.Range(0, 100_000).Select(i => $"{i}|wiki"), decoded);
    }

    private async Task<string[]> UnpackAsync(MessagePackStringArray array)
    {
        var reply = await server.Connection.GetDatabase().ScriptEvaluateAsync(Echo, [], [array.ToMemory()]).WaitAsync(Timeout, TestContext.Current.CancellationToken);
        return [.. ((RedisResult[])reply!).Select(r => r.ToString())];
    }
}
