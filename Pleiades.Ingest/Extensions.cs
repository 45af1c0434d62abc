using Confluent.Kafka;
using Microsoft.Extensions.Options;
using Pleiades.EventLog;
using Pleiades.EventLog.FileLog;
using Pleiades.EventLog.Kafka;
using Pleiades.Ingest.Sink;
using Pleiades.Ingest.Source;
using Pleiades.Ingest.Telemetry;

namespace Pleiades.Ingest;

internal static class Extensions
{
    /// <summary>
    /// Registers the relay: the EventStreams client, the reading loop, the bounded buffer, the publishing loop
    /// over the chosen log (the file log with <c>--file.enable</c>, else Kafka), telemetry and the progress line.
    /// </summary>
    public static WebApplicationBuilder AddApplicationServices(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<IngestOptions>()
            .BindConfiguration(IngestOptions.Section)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<IngestOptions>, IngestOptionsValidator>();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IngestTelemetry>();
        builder.Services.AddSingleton<RelayChannel>();
        builder.Services.AddSingleton<RelayProgress>();

        // The stream lasts for minutes and reconnecting is the relay's job: its HttpClient has no overall timeout
        // and stays out of the factory, whose defaults (ServiceDefaults) add a resilience handler with timeouts and retries.
        builder.Services.AddSingleton(services => new EventStreamsClient(
            new HttpClient(new SocketsHttpHandler
            {
                AutomaticDecompression = System.Net.DecompressionMethods.All,
                ConnectTimeout = TimeSpan.FromSeconds(15),
                PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            })
            {
                Timeout = Timeout.InfiniteTimeSpan,
            },
            services.GetRequiredService<IOptions<IngestOptions>>()));

        // The one setting read before the options are bound: it decides which services exist.
        if (builder.Configuration.GetValue<bool>(EventLogFlags.FileEnabledKey))
        {
            builder.AddFileLogPublisher();
        }
        else
        {
            builder.AddKafkaPublisher();
        }

        // Hosted services stop in reverse order: the relay stops reading first, then the publisher drains the buffer.
        builder.Services.AddHostedService<EventLogPublishWorker>();
        builder.Services.AddHostedService<EventStreamsRelay>();
        builder.Services.AddHostedService<ProgressReporter>();
        // The host reads its options while it starts, before the validation of the others reports: resolving
        // IOptions<IngestOptions> here would throw instead of reporting, so this one value is read from the section itself.
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5) + builder.Configuration.GetValue(
            $"{IngestOptions.Section}:{nameof(IngestOptions.ShutdownDrainTimeout)}", new IngestOptions().ShutdownDrainTimeout));
        return builder;
    }

    private static void AddKafkaPublisher(this WebApplicationBuilder builder)
    {
        KafkaProducerSettings? producerSettings = null;
        builder.AddKafkaProducer<byte[]?, byte[]>("kafka", settings =>
        {
            producerSettings = settings;

            // The original's default broker, when neither --kafka.broker nor ConnectionStrings__kafka names one.
            settings.ConnectionString ??= settings.Config.BootstrapServers ?? EventLogNames.DefaultBroker;
            var config = settings.Config;
            config.EnableIdempotence ??= true;
            config.Acks ??= Acks.All;
            config.CompressionType ??= CompressionType.Lz4;
            config.LingerMs ??= 5;
            config.BatchSize ??= 1024 * 1024;
            config.MessageTimeoutMs ??= 0;
            // Room for one publish batch (4,096 events of ~1.2 KB) and what is still in flight from the last one.
            config.QueueBufferingMaxKbytes ??= 8 * 1024;
            // The publisher reads only the error of each delivery report, which is always there: marshalling the key,
            // value and headers back for every message was most of the publish path's allocations, and the
            // persistence status is one more native call per message.
            config.DeliveryReportFields ??= "none";
        });

        builder.Services.AddOptions<KafkaTopicOptions>()
            .BindConfiguration(KafkaTopicOptions.Section)
            .Validate(topic => !string.IsNullOrWhiteSpace(topic.Topic), $"{EventLogFlags.KafkaTopicKey} (--kafka.topic) is empty")
            .ValidateOnStart();
        builder.Services.AddSingleton(services =>
        {
            var ingest = services.GetRequiredService<IOptions<IngestOptions>>().Value;
            return new KafkaPublisherOptions(
                services.GetRequiredService<IOptions<KafkaTopicOptions>>().Value.Topic,
                ingest.KafkaPartitions,
                () => producerSettings?.Config.BootstrapServers,
                ingest.DedupeWindow,
                ingest.KafkaPartitionRun);
        });
        builder.Services.AddSingleton<IEventPublisher, KafkaPublisher>();
    }

    private static void AddFileLogPublisher(this WebApplicationBuilder builder)
    {
        // EventLog:File:Directory (--file.publishDir) is bound with the rest of the section; its default is the original's.
        builder.Services.AddOptions<FileEventLogOptions>()
            .BindConfiguration(FileEventLogOptions.Section)
            .Validate(fileLog => !string.IsNullOrWhiteSpace(fileLog.Directory), $"{EventLogFlags.FileDirectoryKey} (--file.publishDir) is empty")
            .ValidateOnStart();
        builder.Services.AddSingleton(services => services.GetRequiredService<IOptions<FileEventLogOptions>>().Value);
        builder.Services.AddOptions<FileLogRetentionOptions>()
            .BindConfiguration(FileLogRetentionOptions.Section)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<FileLogRetentionOptions>, FileLogRetentionOptionsValidator>();
        builder.Services.AddSingleton(services => new FileLogRetention(
            services.GetRequiredService<IOptions<FileLogRetentionOptions>>().Value,
            services.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<IEventPublisher, FileLogPublisher>();
    }
}
