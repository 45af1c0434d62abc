using Pleiades.Tests.Support;

namespace Pleiades.Tests.Sse;

/// <summary>The real captures and samples in the repository's <c>data</c> folder (see <see cref="RepositoryPaths.Data"/>).</summary>
public static class RepositoryData
{
    public static string Captures => Path.Combine(RepositoryPaths.Data, "captures");

    public static string Samples => Path.Combine(RepositoryPaths.Data, "samples");

    public static IEnumerable<string> CaptureFiles() => Directory.EnumerateFiles(Captures, "*.sse").Order(StringComparer.Ordinal);
}
