namespace Pleiades.Tests.Support;

/// <summary>Lines for the current test's output, so a failing run explains itself.</summary>
public static class TestOutput
{
    /// <summary>Writes to the output of the test running now (to nothing outside a test), from any thread, even after it ended.</summary>
    public static Action<string> OfCurrentTest()
    {
        var output = TestContext.Current.TestOutputHelper;
        return line => Write(output, line);
    }

    public static void Write(ITestOutputHelper? output, string line)
    {
        if (output is null)
        {
            return;
        }

        try
        {
            output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // The test has finished; its output is closed.
        }
    }
}
