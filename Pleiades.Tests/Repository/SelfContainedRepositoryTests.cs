using System.Text.RegularExpressions;
using Pleiades.Tests.Support;

namespace Pleiades.Tests.Repository;

/// <summary>
/// A clone of this repository is all a user has: no file may read or cite a folder beside it (the design
/// material the project was started from lives outside the repository and is not shipped with it).
/// </summary>
public partial class SelfContainedRepositoryTests
{
    private static readonly string[] SkippedFolders = ["bin", "obj", ".git", ".pleiades", "node_modules", "TestResults", "BenchmarkDotNet.Artifacts"];

    [Fact]
    public void No_file_of_the_repository_refers_to_a_shared_folder_beside_it()
    {
        var offenders = new List<string>();
        foreach (var file in RepositoryFiles(new DirectoryInfo(RepositoryPaths.RepositoryRoot)))
        {
            if (IsBinary(file))
            {
                continue;
            }

            var lineNumber = 0;
            foreach (var line in File.ReadLines(file.FullName))
            {
                lineNumber++;
                if (OutsideReference().IsMatch(line))
                {
                    offenders.Add($"{Path.GetRelativePath(RepositoryPaths.RepositoryRoot, file.FullName)}:{lineNumber}: {line.Trim()}");
                }
            }
        }

        Assert.True(offenders.Count == 0, "Files refer to a folder outside the repository:\n" + string.Join('\n', offenders));
    }

    [Fact]
    public void The_search_finds_a_reference_written_either_way()
    {
        Assert.Matches(OutsideReference(), "see " + ".." + "/shared/docs/CONTRACT.md");
        Assert.Matches(OutsideReference(), "Path.Combine(root, \"" + "..\", \"" + "shared\", \"data\")");
        Assert.DoesNotMatch(OutsideReference(), "data/samples/one_qs_batch.jsonl");
    }

    [Fact]
    public void The_real_data_and_its_origins_are_in_the_repository()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Data, "README.md"));
        foreach (var file in Directory.EnumerateFiles(RepositoryPaths.Data, "*", SearchOption.AllDirectories))
        {
            var name = Path.GetFileName(file);
            if (name != "README.md")
            {
                Assert.Contains(name, readme, StringComparison.Ordinal);
            }
        }
    }

    private static IEnumerable<FileInfo> RepositoryFiles(DirectoryInfo directory)
    {
        foreach (var file in directory.EnumerateFiles())
        {
            yield return file;
        }

        foreach (var child in directory.EnumerateDirectories())
        {
            if (!SkippedFolders.Contains(child.Name, StringComparer.Ordinal))
            {
                foreach (var file in RepositoryFiles(child))
                {
                    yield return file;
                }
            }
        }
    }

    private static bool IsBinary(FileInfo file)
    {
        if (file.Extension is ".gz" or ".png" or ".ico" or ".dll" or ".so")
        {
            return true;
        }

        Span<byte> head = stackalloc byte[512];
        using var stream = file.OpenRead();
        var read = stream.Read(head);
        return head[..read].Contains((byte)0);
    }

    // A parent folder's "shared" in a path or link, or the same folder built from parts in code.
    [GeneratedRegex(@"\.\.[/\\]shared\b|""\.\.""\s*,\s*""shared""")]
    private static partial Regex OutsideReference();
}
