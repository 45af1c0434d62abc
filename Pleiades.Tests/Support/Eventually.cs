using System.Diagnostics;

namespace Pleiades.Tests.Support;

/// <summary>Bounded waiting for a condition that another thread or process makes true.</summary>
public static class Eventually
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails the test, saying <paramref name="what"/> did not happen, after <paramref name="timeout"/>.</summary>
    public static Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what) =>
        WaitUntilAsync(() => Task.FromResult(condition()), timeout, what);

    /// <inheritdoc cref="WaitUntilAsync(Func{bool}, TimeSpan, string)"/>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var started = Stopwatch.GetTimestamp();
        while (!await condition())
        {
            if (Stopwatch.GetElapsedTime(started) > timeout)
            {
                Assert.Fail($"{what} did not happen within {timeout.TotalSeconds} s");
            }

            await Task.Delay(Interval, TestContext.Current.CancellationToken);
        }
    }
}
