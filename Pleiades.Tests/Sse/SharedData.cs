using Pleiades.Tests.Support;

namespace Pleiades.Tests.Sse;

/// <summary>The real captures and samples in <c>../shared/data</c> (see <see cref="RepositoryPaths.SharedData"/>).</summary>
public static class SharedData
{
    public static string Captures => Path.Combine(RepositoryPaths.SharedData, "captures");

    public static string Samples => Path.Combine(RepositoryPaths.SharedData, "samples");

    public static IEnumerable<string> CaptureFiles() => Directory.EnumerateFiles(Captures, "*.sse").Order(StringComparer.Ordinal);
}
