using Pleiades.Tests.Support;

namespace Pleiades.Tests.AppHost;

/// <summary>The committed aspire-manifest.json is what the AppHost publishes today.</summary>
[Trait("Category", "Integration")]
public class ManifestTests
{
    private const string RegenerateCommand =
        "dotnet run --project Pleiades.AppHost -- --publisher manifest --output-path ../aspire-manifest.json";

    [Fact]
    public async Task Committed_manifest_matches_the_app_host()
    {
        var root = RepositoryPaths.RepositoryRoot;
        // Written beside the committed file so that the relative project paths inside are the same.
        var generated = Path.Combine(root, $"aspire-manifest.{Guid.NewGuid():N}.tmp.json");
        try
        {
            var result = await ProcessRunner.RunDotnetAsync(
                RepositoryPaths.AppHostAssembly, ["--publisher", "manifest", "--output-path", generated], TimeSpan.FromMinutes(2));
            Assert.True(result.ExitCode == 0, $"publishing the manifest failed: {result.Error}");

            var expected = await File.ReadAllTextAsync(Path.Combine(root, "aspire-manifest.json"), TestContext.Current.CancellationToken);
            var actual = await File.ReadAllTextAsync(generated, TestContext.Current.CancellationToken);
            Assert.True(expected.ReplaceLineEndings() == actual.ReplaceLineEndings(),
                $"aspire-manifest.json is stale: regenerate it with `{RegenerateCommand}` and commit it.");
        }
        finally
        {
            File.Delete(generated);
        }
    }
}
