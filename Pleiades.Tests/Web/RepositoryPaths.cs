namespace Pleiades.Tests.Web;

/// <summary>Folders of the checkout, found from the test's output folder.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string WebProject => Path.Combine(Root, "Pleiades.Web");

    /// <summary>Where tests leave artifacts such as screenshots: the test output's TestResults folder.</summary>
    public static string TestResults => Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "TestResults")).FullName;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Pleiades.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Pleiades.sln not found above " + AppContext.BaseDirectory);
    }
}
