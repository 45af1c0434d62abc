using Confluent.Kafka;
using Pleiades.Hosting.Embedded;

namespace Pleiades.Tests.Hosting;

[Trait("Category", "Integration")]
public class KafkaMockClusterTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Produces_and_consumes_in_a_group_with_committed_offsets()
    {
        using var cluster = KafkaMockCluster.Start();
        cluster.CreateTopic("events", partitions: 3);

        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            EnableIdempotence = true,
            Acks = Acks.All,
        }).Build())
        {
            for (var i = 0; i < 30; i++)
            {
                await producer.ProduceAsync("events", new Message<string, string> { Key = $"k{i}", Value = $"v{i}" }, TestContext.Current.CancellationToken).WaitAsync(Timeout, TestContext.Current.CancellationToken);
            }
        }

        var consumerConfig = new ConsumerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            GroupId = "group",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            SessionTimeoutMs = 3000,
        };

        var seen = new HashSet<string>();
        using (var consumer = new ConsumerBuilder<string, string>(consumerConfig).Build())
        {
            consumer.Subscribe("events");
            var deadline = DateTime.UtcNow + Timeout;
            while (seen.Count < 20 && DateTime.UtcNow < deadline)
            {
                var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
                if (result is not null)
                {
                    seen.Add(result.Message.Value);
                    consumer.Commit(result);
                }
            }

            consumer.Close();
        }

        Assert.Equal(20, seen.Count);

        // A new member of the same group continues after the committed offsets: nothing twice, nothing lost.
        using (var consumer = new ConsumerBuilder<string, string>(consumerConfig).Build())
        {
            consumer.Subscribe("events");
            var deadline = DateTime.UtcNow + Timeout;
            while (seen.Count < 30 && DateTime.UtcNow < deadline)
            {
                var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
                if (result is not null)
                {
                    Assert.True(seen.Add(result.Message.Value), $"{result.Message.Value} was delivered again after its offset was committed");
                }
            }

            consumer.Close();
        }

        Assert.Equal(Enumerable.Range(0, 30).Select(i => $"v{i}").ToHashSet(), seen);
    }

    [Fact]
    public async Task A_broker_rejecting_produce_requests_holds_back_its_partition_until_the_partition_moves_to_another_broker()
    {
        using var cluster = KafkaMockCluster.Start(brokerCount: 2);
        cluster.CreateTopic("events", partitions: 2);
        cluster.SetPartitionLeader("events", 0, 1);
        cluster.SetPartitionLeader("events", 1, 2);
        cluster.RejectProduceRequests(2, 1_000);

        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            EnableIdempotence = true,
            Acks = Acks.All,
            // The rejection does not make the producer look for a new leader; its next metadata refresh does.
            TopicMetadataRefreshIntervalMs = 500,
        }).Build();
        var held = producer.ProduceAsync(new TopicPartition("events", 1), new Message<Null, string> { Value = "held" }, TestContext.Current.CancellationToken);
        var open = await producer.ProduceAsync(new TopicPartition("events", 0), new Message<Null, string> { Value = "open" }, TestContext.Current.CancellationToken).WaitAsync(Timeout, TestContext.Current.CancellationToken);

        Assert.Equal(PersistenceStatus.Persisted, open.Status);
        Assert.False(held.IsCompleted, "a rejected message is retried, not failed");

        cluster.SetPartitionLeader("events", 1, 1);
        var delivered = await held.WaitAsync(Timeout, TestContext.Current.CancellationToken);
        Assert.Equal(PersistenceStatus.Persisted, delivered.Status);
    }

    [Fact]
    public void Reports_its_topics_partitions_and_cluster_id_through_admin_metadata()
    {
        using var cluster = KafkaMockCluster.Start();
        cluster.CreateTopic("pleiades-events", partitions: 4);

        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).Build();
        var metadata = admin.GetMetadata("pleiades-events", TimeSpan.FromSeconds(10));

        Assert.Equal(4, metadata.Topics.Single().Partitions.Count);
        Assert.StartsWith("127.0.0.1:", cluster.BootstrapServers, StringComparison.Ordinal);
    }

    [Fact]
    public void Creating_a_topic_after_disposal_fails_clearly()
    {
        var cluster = KafkaMockCluster.Start();
        cluster.Dispose();

        Assert.Throws<ObjectDisposedException>(() => cluster.CreateTopic("late", 1));
    }
}
