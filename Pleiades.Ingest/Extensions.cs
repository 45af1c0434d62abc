using Confluent.Kafka;
using Pleiades.EventLog;
using Pleiades.EventLog.FileLog;
using Pleiades.EventLog.Kafka;
using Pleiades.Ingest.Publishing;
using Pleiades.Ingest.Relay;

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
        builder.Services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<IngestOptions>, IngestOptionsValidator>();

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
            services.GetRequiredService<Microsoft.Extensions.Options.IOptions<IngestOptions>>()));

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
        builder.Services.Configure<HostOptions>(host =>
            host.ShutdownTimeout = builder.Configuration.GetValue(IngestOptions.Section + ":ShutdownDrainTimeout", TimeSpan.FromSeconds(5)) + TimeSpan.FromSeconds(5));
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

        var defaults = new IngestOptions();
        builder.Services.AddSingleton(new KafkaPublisherOptions(
            builder.Configuration[EventLogFlags.KafkaTopicKey] ?? EventLogNames.EventsTopic,
            builder.Configuration.GetValue(IngestOptions.Section + ":KafkaPartitions", defaults.KafkaPartitions),
            () => producerSettings?.Config.BootstrapServers,
            builder.Configuration.GetValue(IngestOptions.Section + ":DedupeWindow", defaults.DedupeWindow),
            builder.Configuration.GetValue(IngestOptions.Section + ":KafkaPartitionRun", defaults.KafkaPartitionRun)));
        builder.Services.AddSingleton<IEventPublisher, KafkaPublisher>();
    }

    private static void AddFileLogPublisher(this WebApplicationBuilder builder)
    {
        var fileLog = new FileEventLogOptions
        {
            Directory = builder.Configuration[EventLogFlags.FileDirectoryKey] ?? EventLogNames.DefaultFileDirectory,
        };
        builder.Configuration.GetSection(FileEventLogOptions.Section).Bind(fileLog);
        builder.Services.AddSingleton(fileLog);
        builder.Services.AddOptions<FileLogRetentionOptions>()
            .BindConfiguration(FileLogRetentionOptions.Section)
            .ValidateOnStart();
        builder.Services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<FileLogRetentionOptions>, FileLogRetentionOptionsValidator>();
        builder.Services.AddSingleton(services => new FileLogRetention(
            services.GetRequiredService<Microsoft.Extensions.Options.IOptions<FileLogRetentionOptions>>().Value,
            services.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<IEventPublisher, FileLogPublisher>();
    }
}
