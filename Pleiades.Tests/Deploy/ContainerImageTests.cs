namespace Pleiades.Tests.Deploy;

/// <summary>The services' container images as the SDK would publish them: small, non-root, labelled, on the port deploy/ uses.</summary>
[Trait("Category", "Integration")]
public sealed class ContainerImageTests
{
    public static TheoryData<string> Projects => [.. ContainerImage.Projects];

    [Theory]
    [MemberData(nameof(Projects))]
    public async Task The_image_is_chiseled_non_root_labelled_and_serves_http_on_8080(string project)
    {
        var image = await ContainerImage.EvaluateAsync(project);

        Assert.Matches(@"^mcr\.microsoft\.com/dotnet/aspnet:10\.0-noble-chiseled", image.BaseImage);
        Assert.True(int.TryParse(image.User, out var uid) && uid > 0, $"{project} runs as {image.User}, not as a non-root user id");
        Assert.Equal([8080], image.Ports);
        Assert.Equal("8080", image.Environment["ASPNETCORE_HTTP_PORTS"]);
        Assert.Equal("pleiades-" + project["Pleiades.".Length..].ToLowerInvariant(), image.Repository);
        foreach (var label in (string[])["org.opencontainers.image.title", "org.opencontainers.image.description", "org.opencontainers.image.version",
                     "org.opencontainers.image.created", "org.opencontainers.image.base.name", "org.opencontainers.image.vendor"])
        {
            Assert.True(image.Labels.TryGetValue(label, out var value) && value.Length > 0, $"{project}'s image has no {label} label");
        }

        Assert.Equal(image.Tag, image.Labels["org.opencontainers.image.version"]);
        TestContext.Current.TestOutputHelper?.WriteLine($"{project}: {image.Repository}:{image.Tag} from {image.BaseImage}, user {image.User}, ports {string.Join(",", image.Ports)}");
    }
}
