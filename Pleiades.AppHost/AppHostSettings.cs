using Pleiades.Hosting.Infrastructure;
using Pleiades.Sse;

namespace Pleiades.AppHost;

/// <summary>The AppHost's settings for the services (the infrastructure's are in <see cref="InfrastructureSettings"/>).</summary>
internal static class AppHostSettings
{
    /// <summary>The site's documented public port.</summary>
    public const int WebPort = 8080;

    /// <summary>The EventStreams URL the Ingest reads (<c>--stream-url</c>), so the app can run against a local replay.</summary>
    public static string StreamUrl(this IDistributedApplicationBuilder builder)
    {
        var url = InfrastructureSettings.Setting(builder.Configuration, "stream-url") ?? RecentChangeStream.Url;
        return Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? url
            : throw new AppHostConfigurationException($"--stream-url '{url}' is not an http(s) URL");
    }

    /// <summary>
    /// The capture files to replay instead of the live stream (<c>--replay FILE[,FILE]</c>, relative to the repository root), as full paths, or null.
    /// With them the whole application runs offline against the Pleiades.Replay tool.
    /// </summary>
    public static string? ReplayCapture(this IDistributedApplicationBuilder builder)
    {
        var files = InfrastructureSettings.Setting(builder.Configuration, "replay");
        if (string.IsNullOrWhiteSpace(files))
        {
            return null;
        }

        // `dotnet run --project` starts the AppHost in its own folder: relative paths are taken from the
        // repository root, where the README's commands are run.
        var root = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, ".."));
        var paths = files.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(path => Path.GetFullPath(path, root))
            .ToList();
        return paths.Find(path => !File.Exists(path)) is { } missing
            ? throw new AppHostConfigurationException($"--replay: no capture file at {missing}")
            : string.Join(',', paths);
    }

    /// <summary>
    /// How the replay tool plays the capture: <c>--replay-clock now</c> (default) shifts event times to the present
    /// and loops with fresh meta.ids, so the site shows today filling up; <c>recorded</c> is the exact historic
    /// replay, played once. <c>--replay-rate</c> is events per second (default about the live stream's rate, the
    /// capture's own spacing scaled to it on the present clock), <c>recorded</c> for the capture's own pace, 0 for as
    /// fast as possible (once, without a loop).
    /// </summary>
    public static string[] ReplayArguments(this IDistributedApplicationBuilder builder)
    {
        var clock = InfrastructureSettings.Setting(builder.Configuration, "replay-clock") ?? "now";
        if (clock is not ("now" or "recorded"))
        {
            throw new AppHostConfigurationException($"--replay-clock '{clock}' is neither now nor recorded");
        }

        var rate = InfrastructureSettings.Setting(builder.Configuration, "replay-rate") ?? DefaultReplayRate;
        if (rate != "recorded" && !int.TryParse(rate, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
        {
            throw new AppHostConfigurationException($"--replay-rate '{rate}' is neither a whole number of events per second nor recorded");
        }

        var recordedPace = rate == "recorded";
        var unlimited = rate == "0";
        string[] pace = recordedPace ? ["--pace", "recorded"]
            : clock == "now" && !unlimited ? ["--pace", "recorded", "--rate", rate]
            : ["--rate", rate];
        string[] loop = clock == "now" && !unlimited ? ["--loop"] : [];
        return [.. pace, "--clock", clock, .. loop];
    }

    /// <summary>Events per second a replay sends unless told: about the live stream's rate.</summary>
    public const string DefaultReplayRate = "50";

    /// <summary>Port 8080 taken would leave the Web without its public address: say so at start.</summary>
    public static void EnsureWebPortIsFree(this IDistributedApplicationBuilder builder)
    {
        // Tests randomise every proxied port, so 8080 is not used then.
        if (builder.ExecutionContext.IsRunMode && !string.Equals(builder.Configuration["DcpPublisher:RandomizePorts"], "true", StringComparison.OrdinalIgnoreCase))
        {
            InfrastructureBuilderExtensions.EnsurePortIsFree(WebPort, "the Web's public address", "another free port in Pleiades.AppHost (AppHostSettings.WebPort)");
        }
    }
}
