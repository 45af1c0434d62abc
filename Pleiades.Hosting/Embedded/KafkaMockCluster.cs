using System.Runtime.InteropServices;
using System.Text;
using static Pleiades.Hosting.Embedded.LibrdkafkaNative;

namespace Pleiades.Hosting.Embedded;

/// <summary>
/// A real Kafka-protocol broker inside this process: librdkafka's mock cluster, the broker librdkafka's own
/// test suite runs against. Produce (idempotent too), consume, consumer groups and committed offsets work;
/// it keeps everything in memory.
/// </summary>
/// <remarks>
/// Known limits (ARCHITECTURE.md): each partition keeps about 5 MiB and silently drops older messages;
/// <c>read_committed</c> is not honoured; CreateTopics is unsupported (use <see cref="CreateTopic"/>);
/// ListConsumerGroups can crash the process. A classic-protocol rebalance of a group that has members waits
/// <c>session.timeout.ms</c> - 1 s (44 s by default) even once every member has rejoined, where a real broker goes on
/// as soon as all have: a member joining a consuming group gets partitions after two of them, ~88 s
/// (BENCHMARKS.md, "Rebalances"). The consumer protocol (<c>group.protocol=consumer</c>) hands partitions over at
/// the members' heartbeats, every 3 s here.
/// </remarks>
public sealed class KafkaMockCluster : IDisposable
{
    private const int ProducerType = 0;
    private const int ErrorBufferSize = 512;
    private const short ProduceApiKey = 0;
    private const int NotEnoughReplicas = 19;

    private readonly IntPtr _handle;
    private IntPtr _cluster;

    private KafkaMockCluster(IntPtr handle, IntPtr cluster)
    {
        _handle = handle;
        _cluster = cluster;
        BootstrapServers = Marshal.PtrToStringUTF8(rd_kafka_mock_cluster_bootstraps(cluster))
            ?? throw new InvalidOperationException("The mock cluster reported no bootstrap servers.");
    }

    /// <summary>The brokers' addresses, <c>127.0.0.1:PORT[,...]</c>: a Kafka connection string.</summary>
    public string BootstrapServers { get; }

    /// <summary>Starts a cluster of <paramref name="brokerCount"/> brokers listening on free loopback ports.</summary>
    public static KafkaMockCluster Start(int brokerCount = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokerCount, 1);
        EnsureLoaded();

        var errors = new byte[ErrorBufferSize];
        var conf = rd_kafka_conf_new();
        // The handle that owns the mock cluster never talks to it; keep it quiet.
        _ = rd_kafka_conf_set(conf, "log_level", "3", errors, ErrorBufferSize);
        var handle = rd_kafka_new(ProducerType, conf, errors, ErrorBufferSize);
        if (handle == IntPtr.Zero)
        {
            throw new InvalidOperationException($"librdkafka refused to create the mock cluster's handle: {ErrorText(errors)}");
        }

        var cluster = rd_kafka_mock_cluster_new(handle, brokerCount);
        if (cluster == IntPtr.Zero)
        {
            rd_kafka_destroy(handle);
            throw new InvalidOperationException("librdkafka could not start the mock cluster (no free port?).");
        }

        // Without a controller, admin requests (metadata of the cluster, DescribeCluster) hang.
        _ = rd_kafka_mock_set_controller_id(cluster, 1);
        return new KafkaMockCluster(handle, cluster);
    }

    /// <summary>Creates <paramref name="topic"/> with <paramref name="partitions"/> partitions (replication factor 1).</summary>
    public void CreateTopic(string topic, int partitions)
    {
        ObjectDisposedException.ThrowIf(_cluster == IntPtr.Zero, this);
        Check(rd_kafka_mock_topic_create(_cluster, topic, partitions, 1), $"create topic '{topic}'");
    }

    /// <summary>Disconnects broker <paramref name="brokerId"/> and refuses new connections until <see cref="SetBrokerUp"/>: an outage for fault tests.</summary>
    public void SetBrokerDown(int brokerId = 1) => Check(rd_kafka_mock_broker_set_down(_cluster, brokerId), $"take broker {brokerId} down");

    /// <summary>Lets broker <paramref name="brokerId"/> accept connections again.</summary>
    public void SetBrokerUp(int brokerId = 1) => Check(rd_kafka_mock_broker_set_up(_cluster, brokerId), $"bring broker {brokerId} up");

    /// <summary>Makes broker <paramref name="brokerId"/> the leader of <paramref name="topic"/>'s <paramref name="partition"/>: where its messages are produced from then on.</summary>
    public void SetPartitionLeader(string topic, int partition, int brokerId) =>
        Check(rd_kafka_mock_partition_set_leader(_cluster, topic, partition, brokerId), $"make broker {brokerId} the leader of {topic} [{partition}]");

    /// <summary>Delays every response of broker <paramref name="brokerId"/> by <paramref name="roundTrip"/> (zero for none).</summary>
    public void SetRoundTripTime(int brokerId, TimeSpan roundTrip) =>
        Check(rd_kafka_mock_broker_set_rtt(_cluster, brokerId, (int)roundTrip.TotalMilliseconds), $"delay broker {brokerId}'s responses");

    /// <summary>
    /// Fails the next <paramref name="requests"/> Produce requests broker <paramref name="brokerId"/> receives with
    /// NOT_ENOUGH_REPLICAS, which appends nothing and which producers retry: the partitions it leads take no
    /// writes (fetches still work) while the other brokers' partitions do. Moving a partition to another leader
    /// (<see cref="SetPartitionLeader"/>) lets its writes through again, for clients that learn of the move (a new
    /// client at once, others at their next metadata refresh: the rejection itself does not prompt one).
    /// </summary>
    public void RejectProduceRequests(int brokerId, int requests)
    {
        for (var i = 0; i < requests; i++)
        {
            Check(rd_kafka_mock_broker_push_request_error_rtts(_cluster, brokerId, ProduceApiKey, 1, NotEnoughReplicas, 0), $"make broker {brokerId} reject produce requests");
        }
    }

    public void Dispose()
    {
        if (_cluster == IntPtr.Zero)
        {
            return;
        }

        rd_kafka_mock_cluster_destroy(_cluster);
        _cluster = IntPtr.Zero;
        rd_kafka_destroy(_handle);
    }

    private void Check(int error, string action)
    {
        ObjectDisposedException.ThrowIf(_cluster == IntPtr.Zero, this);
        if (error != 0)
        {
            throw new InvalidOperationException($"The mock cluster could not {action}: {Marshal.PtrToStringUTF8(rd_kafka_err2str(error))}");
        }
    }

    private static string ErrorText(byte[] errors)
    {
        var end = Array.IndexOf(errors, (byte)0);
        return Encoding.UTF8.GetString(errors, 0, end < 0 ? errors.Length : end);
    }
}
