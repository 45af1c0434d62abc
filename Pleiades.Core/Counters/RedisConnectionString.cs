using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pleiades.CommandLine;
using StackExchange.Redis;

namespace Pleiades.Counters;

/// <summary>
/// The Redis connection string of a service (<c>ConnectionStrings:{name}</c>, which <c>--redis-addr</c> sets): the
/// original's default when nothing sets it, and checked at start as StackExchange.Redis will parse it when the client
/// is first used. There, after start, a bad option (<c>connectTimeout=abc</c>, an unknown keyword) or no address at all
/// stopped the Aggregator with a stack trace and left the Web saying Redis was down.
/// </summary>
public static class RedisConnectionString
{
    /// <summary>The original's Redis address when none is given.</summary>
    public const string DefaultAddress = "localhost:6379";

    /// <summary>Aspire's other place for the connection string, which <c>ConnectionStrings:{name}</c> wins over.</summary>
    public const string AspireConnectionStringKey = "Aspire:StackExchange:Redis:ConnectionString";

    /// <summary>Defaults <c>ConnectionStrings:{connectionName}</c> and adds its check to the startup validation (<see cref="StartupCheck"/>).</summary>
    public static void Use(IHostApplicationBuilder builder, string connectionName)
    {
        var key = "ConnectionStrings:" + connectionName;
        if (string.IsNullOrEmpty(builder.Configuration[key]) && string.IsNullOrEmpty(builder.Configuration[AspireConnectionStringKey]))
        {
            builder.Configuration.AddInMemoryCollection([KeyValuePair.Create<string, string?>(key, DefaultAddress)]);
        }

        StartupCheck.Add(builder.Services, key, provider =>
        {
            var configuration = provider.GetRequiredService<IConfiguration>();
            var problem = configuration[key] is { Length: > 0 } connectionString
                ? Problem(connectionString, key)
                : Problem(configuration[AspireConnectionStringKey], AspireConnectionStringKey);
            return problem is null ? [] : [problem];
        });
    }

    /// <summary>Why StackExchange.Redis refuses <paramref name="connectionString"/>, naming the setting <paramref name="key"/>; null when it accepts it.</summary>
    public static string? Problem(string? connectionString, string key)
    {
        try
        {
            ConfigurationOptions.Parse(connectionString ?? "");
            return null;
        }
        catch (ArgumentException e)
        {
            return $"{key}: {e.Message}";
        }
    }
}
