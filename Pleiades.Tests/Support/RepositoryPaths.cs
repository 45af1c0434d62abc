namespace Pleiades.Tests.Support;

/// <summary>Where the repository and its real data are, found from the running binaries.</summary>
/// <remarks>Free of xunit: the benchmarks compile this file too.</remarks>
public static class RepositoryPaths
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Pleiades.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Pleiades.sln above {AppContext.BaseDirectory}.");
    });

    /// <summary>The folder holding Pleiades.sln.</summary>
    public static string RepositoryRoot => Root.Value;

    /// <summary>The real captures, samples and schema kept in the repository (data/README.md names their origins).</summary>
    public static string Data => Path.Combine(RepositoryRoot, "data");

    /// <summary>The built AppHost (the test project references it, so it is built first).</summary>
    public static string AppHostAssembly => Path.Combine(AppContext.BaseDirectory, "Pleiades.AppHost.dll");
}
