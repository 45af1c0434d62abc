using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pleiades.CommandLine;

namespace Pleiades.EventLog.Kafka;

/// <summary>What registering a producer and a consumer share: settings binding, logging, statistics, health, tracing.</summary>
internal static class KafkaClientRegistration
{
    public const string LogCategory = "Pleiades.Kafka";

    /// <summary>
    /// Binds <paramref name="settings"/> from the section and its per-connection sub-section; the connection string wins.
    /// What is wrong with them (no or a malformed address, a value librdkafka refuses) is not thrown here but reported by
    /// the startup validation with the service's other settings (<see cref="StartupCheck"/>): one line, exit code 2.
    /// </summary>
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
            foreach (var (key, value) in KafkaConfigSection.Read(source.GetSection("Config")))
            {
                settings.ClientConfig.Set(key, value);
            }
        }

        if (builder.Configuration.GetConnectionString(connectionName) is { } connectionString)
        {
            settings.ConnectionString = connectionString;
        }

        // configure reads the user's values as typed properties, which throw on one that does not parse: it runs only
        // once librdkafka accepts them, and what it makes of them is asked about again.
        var configured = false;
        var refused = KafkaClientConfigCheck.Problem(settings.ClientConfig, sectionName + ":Config", _ =>
        {
            configure?.Invoke(settings);
            settings.Consolidate();
            configured = true;
        });
        var problems = configured ? settings.Problems(connectionName).ToList() : [];
        if (refused is not null)
        {
            problems.Add(refused);
        }

        StartupCheck.Add(builder.Services, $"{sectionName}:{connectionName}", _ => problems);
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
            var connection = new KafkaConnectionLog(logger, settings.ClientConfig.BootstrapServers ?? settings.ConnectionString ?? "the configured brokers");
            setLogHandler((_, message) => connection.Log(message));
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
}
