using Pleiades.Tests.Support;

namespace Pleiades.Tests.Web;

/// <summary>Folders the Web's tests use.</summary>
public static class WebTestPaths
{
    public static string WebProject => Path.Combine(RepositoryPaths.RepositoryRoot, "Pleiades.Web");

    /// <summary>Where tests leave artifacts such as screenshots: the test output's TestResults folder.</summary>
    public static string TestResults => Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "TestResults")).FullName;
}
