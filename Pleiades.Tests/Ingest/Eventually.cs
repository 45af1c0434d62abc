namespace Pleiades.Tests.Ingest;

/// <summary>Bounded waiting for a condition another thread makes true.</summary>
public static class Eventually
{
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var waiting = Task.Run(async () =>
        {
            while (!condition())
            {
                await Task.Delay(10, TestContext.Current.CancellationToken);
            }
        }, TestContext.Current.CancellationToken);
        try
        {
            await waiting.WaitAsync(timeout, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{what} did not happen within {timeout.TotalSeconds} s");
        }
    }
}
