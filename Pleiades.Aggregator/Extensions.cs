using Confluent.Kafka;
using Microsoft.Extensions.Options;
using Pleiades.Aggregator.Counting;
using Pleiades.Aggregator.DeadLetters;
using Pleiades.Aggregator.Source;
using Pleiades.Aggregator.Source.FileLog;
using Pleiades.Aggregator.Source.Kafka;
using Pleiades.Aggregator.Telemetry;
using Pleiades.CommandLine;
using Pleiades.Counters;
using Pleiades.EventLog;
using Pleiades.EventLog.Kafka;
using StackExchange.Redis;

namespace Pleiades.Aggregator;

internal static class Extensions
{
    /// <summary>Registers the Aggregator: options, Redis, the counter store, metrics and the event-log source.</summary>
    public static WebApplicationBuilder AddApplicationServices(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AggregatorOptions>()
            .BindConfiguration(AggregatorOptions.Section)
            .Configure<IConfiguration>(ReadEventLogFlags)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AggregatorOptions>, AggregatorOptionsValidator>();
        builder.AddCounterRedisClient(AggregatorOptions.Section + ":Redis");

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<AggregatorMetrics>();
        builder.Services.AddSingleton(services => new RedisCounterStore(
            services.GetRequiredService<IConnectionMultiplexer>(),
            services.GetRequiredService<IOptions<AggregatorOptions>>().Value.MinuteRetention));
        builder.Services.AddSingleton(services => new ProgressReporter(
            services.GetRequiredService<ILogger<ProgressReporter>>(),
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<IOptions<AggregatorOptions>>().Value.ProgressInterval));
        builder.Services.AddSingleton<BatchCommitter>();

        // Which source to register is decided before the host exists; everything else about it is in the options.
        if (builder.Configuration.GetValue<bool>(EventLogFlags.FileEnabledKey))
        {
            builder.AddFileSource();
        }
        else
        {
            builder.AddKafkaSource();
        }

        return builder;
    }

    /// <summary>The event log's flags (shared with the Ingest, so outside the Aggregator section) into the options; empty means the default.</summary>
    private static void ReadEventLogFlags(AggregatorOptions options, IConfiguration configuration)
    {
        if (configuration[EventLogFlags.KafkaTopicKey] is { Length: > 0 } topic)
        {
            options.Topic = topic;
        }

        if (configuration[EventLogFlags.FileDirectoryKey] is { Length: > 0 } directory)
        {
            options.FileDirectory = directory;
        }
    }

    private static void AddFileSource(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IDeadLetterSink>(services => new FileDeadLetterSink(
            FileDeadLetterSink.PathBeside(services.GetRequiredService<IOptions<AggregatorOptions>>().Value.FileDirectory),
            services.GetRequiredService<AggregatorMetrics>(),
            services.GetRequiredService<ILogger<FileDeadLetterSink>>()));
        builder.AddSource(services => new FileAggregatorLoop(
            services.GetRequiredService<IOptions<AggregatorOptions>>().Value.FileDirectory,
            services.GetRequiredService<IOptions<AggregatorOptions>>().Value,
            services.GetRequiredService<BatchPipelineFactory>(),
            services.GetRequiredService<ILoggerFactory>()));
    }

    private static void AddKafkaSource(this WebApplicationBuilder builder)
    {
        // Bound and checked as the Ingest's producer is (AddKafkaProducer's settings); the loop builds its consumer
        // itself, on each (re)start, with its rebalance handlers and without a statistics handler. /health asks the
        // cluster through the consumer's settings, as the Ingest's does.
        var consumerSettings = builder.AddKafkaConsumerSettings(EventLogNames.KafkaConnection, settings =>
        {
            settings.ConnectionString ??= settings.Config.BootstrapServers ?? EventLogNames.DefaultBroker;
            settings.Config.GroupId ??= EventLogNames.ConsumerGroup;
            settings.DisableMetrics = true;
        });
        var producerSettings = builder.AddKafkaProducerSettings(EventLogNames.KafkaConnection, settings =>
        {
            settings.ConnectionString ??= settings.Config.BootstrapServers ?? EventLogNames.DefaultBroker;
            settings.DisableMetrics = true;
            settings.DisableHealthChecks = true;
        });
        builder.Services.AddSingleton(services => KafkaSourceSettings.From(consumerSettings, producerSettings, services.GetRequiredService<IOptions<AggregatorOptions>>().Value));
        StartupCheck.Add(builder.Services, "kafka-source", services => services.GetRequiredService<KafkaSourceSettings>().Problems());
        builder.Services.AddSingleton(services => new KafkaConnectionLog(
            services.GetRequiredService<ILogger<KafkaAggregatorLoop>>(), services.GetRequiredService<KafkaSourceSettings>().BootstrapServers));
        builder.Services.AddSingleton<IDeadLetterSink>(services =>
        {
            var settings = services.GetRequiredService<KafkaSourceSettings>();
            // Its log and errors go through the logger like the consumer's (without a handler librdkafka writes raw lines to stderr).
            var connection = services.GetRequiredService<KafkaConnectionLog>();
            var producer = new ProducerBuilder<Null, byte[]>(settings.DeadLetterProducerConfig())
                .SetLogHandler((_, message) => connection.Log(message))
                .SetErrorHandler((_, error) => connection.Error(error))
                .Build();
            return new KafkaDeadLetterSink(producer, services.GetRequiredService<IOptions<AggregatorOptions>>().Value.DeadLetterTopic,
                services.GetRequiredService<AggregatorMetrics>(), services.GetRequiredService<ILogger<KafkaDeadLetterSink>>());
        });
        builder.AddSource(services => new KafkaAggregatorLoop(
            services.GetRequiredService<KafkaSourceSettings>(),
            services.GetRequiredService<IOptions<AggregatorOptions>>().Value,
            services.GetRequiredService<BatchPipelineFactory>(),
            services.GetRequiredService<ILoggerFactory>(),
            services.GetRequiredService<KafkaConnectionLog>()));
    }

    /// <summary>Runs the source <paramref name="create"/> makes (a new one after each failure) as the host's worker.</summary>
    private static void AddSource(this WebApplicationBuilder builder, Func<IServiceProvider, IAggregatorSource> create)
    {
        builder.Services.AddSingleton<BatchPipelineFactory>(services => new BatchPipelineFactory(
            services.GetRequiredService<BatchCommitter>(),
            services.GetRequiredService<AggregatorMetrics>(),
            services.GetRequiredService<IDeadLetterSink>(),
            services.GetRequiredService<ILoggerFactory>(),
            services.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<Func<IAggregatorSource>>(services => () => create(services));
        builder.Services.AddHostedService<AggregatorWorker>();
    }
}
