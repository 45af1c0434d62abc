using System.Text.Json;
using Pleiades.Tests.Support;

namespace Pleiades.Tests.Deploy;

/// <summary>
/// What <c>dotnet publish -t:PublishContainer</c> would build for a service, read from MSBuild without a registry or a
/// container runtime: the SDK's own ComputeContainerConfig target resolves the base image, user, ports, labels and
/// environment the image would have.
/// </summary>
public sealed record ContainerImage(
    string Project,
    string Repository,
    string Tag,
    string BaseImage,
    string User,
    IReadOnlyList<int> Ports,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>The services that ship as images (Containers.props), by project.</summary>
    public static readonly string[] Projects = ["Pleiades.Ingest", "Pleiades.Aggregator", "Pleiades.Web", "Pleiades.Replay"];

    private static readonly TimeSpan EvaluationTimeout = TimeSpan.FromMinutes(3);

    public static async Task<ContainerImage> EvaluateAsync(string project)
    {
        var path = Path.Combine(RepositoryPaths.RepositoryRoot, project, project + ".csproj");
        var result = await ProcessRunner.RunAsync("dotnet",
        [
            "msbuild", path, "-nologo", "-t:ComputeContainerConfig", "-p:RuntimeIdentifier=linux-x64",
            "-getProperty:ContainerRepository", "-getProperty:ContainerImageTag", "-getProperty:ContainerBaseImage", "-getProperty:ContainerUser",
            "-getItem:ContainerPort", "-getItem:ContainerLabel", "-getItem:ContainerEnvironmentVariable",
        ], EvaluationTimeout, RepositoryPaths.RepositoryRoot);
        Assert.True(result.ExitCode == 0, $"evaluating {project}'s container failed: {result.Output}{result.Error}");

        using var json = JsonDocument.Parse(result.Output);
        var properties = json.RootElement.GetProperty("Properties");
        var items = json.RootElement.GetProperty("Items");
        return new ContainerImage(
            project,
            properties.GetProperty("ContainerRepository").GetString()!,
            properties.GetProperty("ContainerImageTag").GetString()!,
            properties.GetProperty("ContainerBaseImage").GetString()!,
            properties.GetProperty("ContainerUser").GetString()!,
            [.. Items(items, "ContainerPort").Select(i => int.Parse(i.GetProperty("Identity").GetString()!, System.Globalization.CultureInfo.InvariantCulture))],
            Items(items, "ContainerLabel").ToDictionary(i => i.GetProperty("Identity").GetString()!, i => i.GetProperty("Value").GetString()!),
            Items(items, "ContainerEnvironmentVariable").ToDictionary(i => i.GetProperty("Identity").GetString()!, i => i.GetProperty("Value").GetString()!));
    }

    private static JsonElement[] Items(JsonElement items, string name) =>
        items.TryGetProperty(name, out var list) ? [.. list.EnumerateArray()] : [];
}
