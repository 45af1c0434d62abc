using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Pleiades.Kafka;

/// <summary>What registering a producer and a consumer share: settings binding, logging, statistics, health, tracing.</summary>
internal static class KafkaClientRegistration
{
    public const string LogCategory = "Pleiades.Kafka";

    /// <summary>Binds <paramref name="settings"/> from the section and its per-connection sub-section; the connection string wins.</summary>
    public static TSettings BindSettings<TSettings>(
        IHostApplicationBuilder builder, string sectionName, string connectionName, TSettings settings, Action<TSettings>? configure)
        where TSettings : KafkaClientSettings
    {
        var section = builder.Configuration.GetSection(sectionName);
        var named = section.GetSection(connectionName);
        foreach (var source in (IConfigurationSection[])[section, named])
        {
            ReadSettings(source, settings);

            // The librdkafka config is a dictionary wrapper the binder cannot fill by itself: copy its keys.
            CopyConfig(source.GetSection("Config"), settings.ClientConfig);
        }

        if (builder.Configuration.GetConnectionString(connectionName) is { } connectionString)
        {
            settings.ConnectionString = connectionString;
        }

        configure?.Invoke(settings);
        settings.Consolidate();
        settings.Validate(connectionName);
        return settings;
    }

    /// <summary>Forwards librdkafka's log to Microsoft.Extensions.Logging and its statistics to the metrics.</summary>
    public static void Instrument<TClient>(
        IServiceProvider services,
        KafkaClientSettings settings,
        Action<Action<TClient, LogMessage>> setLogHandler,
        Action<Action<TClient, string>> setStatisticsHandler)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(LogCategory);
        try
        {
            setLogHandler((_, message) =>
            {
                var level = (LogLevel)message.LevelAs(LogLevelType.MicrosoftExtensionsLogging);
                if (logger.IsEnabled(level))
                {
                    logger.Log(level, "{Facility}: {Message}", message.Facility, message.Message);
                }
            });
        }
        catch (InvalidOperationException)
        {
            // The caller set its own log handler through configureBuilder; keep it.
        }

        if (!settings.DisableMetrics)
        {
            var metrics = services.GetRequiredService<KafkaStatisticsMetrics>();
            try
            {
                setStatisticsHandler((_, json) => metrics.Record(json));
            }
            catch (InvalidOperationException)
            {
                logger.LogWarning("A statistics handler is already set: Kafka client metrics are not collected.");
            }
        }
    }

    /// <summary>Registers metrics, tracing and the health check a client's settings ask for.</summary>
    public static void AddTelemetryAndHealth(IHostApplicationBuilder builder, KafkaClientSettings settings, string healthCheckName)
    {
        if (!settings.DisableMetrics)
        {
            builder.Services.TryAddSingleton<KafkaStatisticsMetrics>();
            builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(KafkaStatisticsMetrics.MeterName));
        }

        if (!settings.DisableTracing)
        {
            builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddSource(KafkaTraceContext.ActivitySourceName));
        }

        AddHealthCheck(builder, settings, healthCheckName);
    }

    /// <summary>Registers the health check (a broker answers metadata) unless the settings disable it.</summary>
    public static void AddHealthCheck(IHostApplicationBuilder builder, KafkaClientSettings settings, string healthCheckName)
    {
        if (settings.DisableHealthChecks)
        {
            return;
        }

        var config = settings.ClientConfig;
        builder.Services.TryAddKeyedSingleton(healthCheckName, (_, _) => new KafkaHealthCheck(config));
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            healthCheckName,
            sp => sp.GetRequiredKeyedService<KafkaHealthCheck>(healthCheckName),
            failureStatus: default,
            tags: default));
    }

    private static void ReadSettings(IConfigurationSection section, KafkaClientSettings settings)
    {
        settings.ConnectionString = section[nameof(KafkaClientSettings.ConnectionString)] ?? settings.ConnectionString;
        settings.DisableMetrics = section.GetValue(nameof(KafkaClientSettings.DisableMetrics), settings.DisableMetrics);
        settings.DisableHealthChecks = section.GetValue(nameof(KafkaClientSettings.DisableHealthChecks), settings.DisableHealthChecks);
        settings.DisableTracing = section.GetValue(nameof(KafkaClientSettings.DisableTracing), settings.DisableTracing);
    }

    private static void CopyConfig(IConfigurationSection section, ClientConfig config)
    {
        foreach (var child in section.GetChildren())
        {
            if (child.Value is not null)
            {
                config.Set(ToLibrdkafkaKey(child.Key), child.Value);
            }
        }
    }

    /// <summary>Accepts both librdkafka's keys (<c>bootstrap.servers</c>) and the .NET property names (<c>BootstrapServers</c>).</summary>
    internal static string ToLibrdkafkaKey(string key)
    {
        if (key.Contains('.', StringComparison.Ordinal) || key.All(c => !char.IsUpper(c)))
        {
            return key;
        }

        var dotted = new System.Text.StringBuilder(key.Length + 4);
        for (var i = 0; i < key.Length; i++)
        {
            if (char.IsUpper(key[i]) && i > 0)
            {
                dotted.Append('.');
            }

            dotted.Append(char.ToLowerInvariant(key[i]));
        }

        return dotted.ToString();
    }
}
