namespace Pleiades.Benchmarks.Data;

/// <summary>Where the repository, the shared real captures are.</summary>
internal static class BenchmarkPaths
{
    /// <summary>The folder holding Pleiades.sln, found by walking up from the running assembly.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The real captures (../shared/data beside the repository), never copied into it.</summary>
    public static string SharedData => Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "data"));

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Pleiades.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no Pleiades.sln above {AppContext.BaseDirectory}");
    }
}
