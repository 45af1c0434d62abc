using System.Reflection;
using Pleiades.Tests.Support;

namespace Pleiades.Tests.Repository;

/// <summary>
/// <c>dotnet test Pleiades.Tests --filter "Category!=Integration"</c> runs only the tests that need nothing outside
/// the test process, and <c>Category=Integration</c> the rest: a test class that starts or reaches a child process, a
/// server on a port (Garnet, redis-server, librdkafka's mock cluster, Kestrel), an AppHost or Chromium carries
/// <c>[Trait("Category", "Integration")]</c> on the class itself, and no other class does.
/// </summary>
public sealed class TestCategoryTests(ITestOutputHelper output)
{
    private const string Category = "Category";
    private const string Integration = "Integration";

    [Fact]
    public void Every_class_that_reaches_outside_the_process_is_marked_integration()
    {
        var unmarked = TestClasses()
            .Where(c => !IsMarkedIntegration(c))
            .Select(c => (Class: c, Path: OutsideProcessUse.PathFrom(c)))
            .Where(c => c.Path is not null)
            .Select(c => $"{c.Class.FullName}: {string.Join(" -> ", c.Path!)}")
            .ToList();

        Assert.True(unmarked.Count == 0,
            $"Test classes that reach outside the process without [Trait(\"{Category}\", \"{Integration}\")]:\n" + string.Join('\n', unmarked));
    }

    [Fact]
    public void Every_class_marked_integration_reaches_outside_the_process()
    {
        var marked = TestClasses().Where(IsMarkedIntegration).ToList();
        var inProcess = new List<string>();
        foreach (var testClass in marked)
        {
            if (OutsideProcessUse.PathFrom(testClass) is { } path)
            {
                output.WriteLine($"{testClass.Name}: {path[^1]}");
            }
            else
            {
                inProcess.Add(testClass.FullName!);
            }
        }

        Assert.NotEmpty(marked);
        Assert.True(inProcess.Count == 0,
            $"Test classes marked {Integration} that need nothing outside the process (leave them unmarked):\n" + string.Join('\n', inProcess));
    }

    /// <summary>The classes xunit runs: not abstract, with a test method of their own or inherited.</summary>
    private static IEnumerable<Type> TestClasses() =>
        typeof(TestCategoryTests).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false, ContainsGenericParameters: false })
            .Where(t => t.GetMethods().Any(m => m.GetCustomAttributes<FactAttribute>(inherit: true).Any()))
            .OrderBy(t => t.FullName, StringComparer.Ordinal);

    // On the class itself: a trait only a base class carries is not one the filter can be trusted to see.
    private static bool IsMarkedIntegration(Type testClass) =>
        testClass.GetCustomAttributes<TraitAttribute>(inherit: false).Any(t => t.Name == Category && t.Value == Integration);
}
