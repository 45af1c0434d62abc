namespace Pleiades.Tests.Sse;

/// <summary>The real captures and samples in <c>../shared/data</c> beside the repository root (the folder holding Pleiades.sln).</summary>
public static class SharedData
{
    public static string Root { get; } = FindRoot();

    public static string Captures => Path.Combine(Root, "captures");

    public static string Samples => Path.Combine(Root, "samples");

    public static IEnumerable<string> CaptureFiles() => Directory.EnumerateFiles(Captures, "*.sse").Order(StringComparer.Ordinal);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Pleiades.sln")))
            {
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data"));
            }
        }

        throw new InvalidOperationException("Pleiades.sln not found above " + AppContext.BaseDirectory);
    }
}
