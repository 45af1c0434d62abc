using System.Globalization;
using Aspire.Hosting;
using Microsoft.Extensions.Configuration;

namespace Pleiades.Hosting.Infrastructure;

/// <summary>
/// The AppHost's own settings, from its command line (<c>--infra embedded</c>) or any other configuration
/// source (<c>Pleiades:Infra</c> in appsettings, <c>Pleiades__Infra</c> in the environment).
/// </summary>
public sealed record InfrastructureSettings(
    InfrastructureMode Mode,
    int EmbeddedRedisPort,
    string EmbeddedDataDirectory,
    int KafkaPartitions,
    bool KafkaUI,
    bool KafkaDataVolume,
    EventLogKind? EventLog,
    int? Aggregators)
{
    public const int DefaultEmbeddedRedisPort = 6380;
    public const int DefaultKafkaPartitions = 4;

    /// <summary>Reads and checks the settings; a bad value is an <see cref="AppHostConfigurationException"/> naming it.</summary>
    public static InfrastructureSettings From(IDistributedApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var modeText = Setting(configuration, "infra") ?? "auto";
        if (!Enum.TryParse<InfrastructureMode>(modeText, ignoreCase: true, out var mode) || !Enum.IsDefined(mode) || int.TryParse(modeText, out _))
        {
            throw new AppHostConfigurationException($"--infra '{modeText}' is not one of containers, embedded, external, auto");
        }

        return new InfrastructureSettings(
            mode,
            Integer(configuration, "embedded-redis-port", DefaultEmbeddedRedisPort, 0, 65535),
            // Absolute: the services it is handed to run in their own directories.
            Path.GetFullPath(Setting(configuration, "embedded-data") ?? Path.Combine(builder.AppHostDirectory, ".pleiades")),
            Integer(configuration, "kafka-partitions", DefaultKafkaPartitions, 1, 1024),
            Boolean(configuration, "kafka-ui"),
            Boolean(configuration, "kafka-volume"),
            EventLogSetting(configuration),
            Setting(configuration, "aggregators") is null ? null : Integer(configuration, "aggregators", 1, 1, 64));
    }

    /// <summary>A setting given as <c>--name</c> on the command line or as <c>Pleiades:Name</c> elsewhere.</summary>
    public static string? Setting(IConfiguration configuration, string name) =>
        configuration[name] ?? configuration["Pleiades:" + name.Replace("-", "", StringComparison.Ordinal)];

    private static int Integer(IConfiguration configuration, string name, int defaultValue, int min, int max)
    {
        var text = Setting(configuration, name);
        if (text is null)
        {
            return defaultValue;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new AppHostConfigurationException($"--{name} '{text}' is not a whole number from {min} to {max}");
    }

    private static EventLogKind? EventLogSetting(IConfiguration configuration) =>
        Setting(configuration, "event-log") switch
        {
            null => null,
            var text when text.Equals("file", StringComparison.OrdinalIgnoreCase) => EventLogKind.File,
            var text when text.Equals("kafka", StringComparison.OrdinalIgnoreCase) => EventLogKind.Kafka,
            var text => throw new AppHostConfigurationException($"--event-log '{text}' is not one of file, kafka"),
        };

    private static bool Boolean(IConfiguration configuration, string name)
    {
        var text = Setting(configuration, name);
        return text is null
            ? false
            : bool.TryParse(text, out var value) ? value : throw new AppHostConfigurationException($"--{name} takes true or false, not '{text}'");
    }
}
