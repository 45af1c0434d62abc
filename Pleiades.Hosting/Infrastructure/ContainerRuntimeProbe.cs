using System.Diagnostics;

namespace Pleiades.Hosting.Infrastructure;

/// <summary>Asks the container runtimes Aspire can use whether one of them is running.</summary>
internal static class ContainerRuntimeProbe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>The name of a runtime whose daemon answers (<c>docker</c> or <c>podman</c>), or null.</summary>
    public static string? FindRunningRuntime()
    {
        var preferred = Environment.GetEnvironmentVariable("ASPIRE_CONTAINER_RUNTIME");
        string[] candidates = string.IsNullOrEmpty(preferred) ? ["docker", "podman"] : [preferred];
        return candidates.FirstOrDefault(Answers);
    }

    private static bool Answers(string runtime)
    {
        try
        {
            // `info` talks to the daemon: the CLI alone (present on machines without an engine) is not enough.
            using var process = Process.Start(new ProcessStartInfo(runtime, "info --format {{.ServerVersion}}")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return false;
            }

            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }

            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // not installed
        }
    }
}
