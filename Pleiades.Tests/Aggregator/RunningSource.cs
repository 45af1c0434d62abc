using Pleiades.Aggregator.DeadLetters;
using Pleiades.Aggregator.Source;
using Pleiades.Tests.Support;

namespace Pleiades.Tests.Aggregator;

/// <summary>A started <see cref="IAggregatorSource"/> and the means to stop it either way.</summary>
public sealed class RunningSource
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _kill = new();
    private readonly IDeadLetterSink _deadLetters;

    public RunningSource(IAggregatorSource source, IDeadLetterSink deadLetters)
    {
        Source = source;
        _deadLetters = deadLetters;
        Completion = Task.Run(() => source.RunAsync(_stop.Token, _kill.Token));
    }

    public IAggregatorSource Source { get; }

    public Task Completion { get; }

    /// <summary>The log id, once the source has opened its log.</summary>
    public async Task<string> LogIdAsync()
    {
        await Eventually.WaitUntilAsync(() => Source.LogId is not null, Timeout, "opening the log");
        return Source.LogId!;
    }

    /// <summary>Graceful: applies what was read and leaves cleanly.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Completion.WaitAsync(Timeout);
        _deadLetters.Dispose();
    }

    /// <summary>As a crash: what is in memory is lost (and a Kafka group is not told).</summary>
    public async Task KillAsync()
    {
        await _kill.CancelAsync();
        await Completion.WaitAsync(Timeout).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _deadLetters.Dispose();
    }
}
