using Pleiades.Tests.FileLog;
using Pleiades.Tests.Support;

namespace Pleiades.Tests.EndToEnd;

/// <summary>
/// What the tests that break something mid-stream share: a capture streamed at a steady rate long enough to act in
/// its middle, and the oracle's counters for it.
/// </summary>
internal sealed class MidStream : IDisposable
{
    /// <summary>Events in the capture: ten seconds of stream at <see cref="Rate"/>.</summary>
    public const int Events = 40_000;

    /// <summary>Events per second the replay sends.</summary>
    public const int Rate = 4_000;

    /// <summary>Where in the stream the fault comes: a fifth of the way.</summary>
    public const int FaultAt = Events / 5;

    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    private readonly TemporaryDirectory _data = new();

    public MidStream()
    {
        Capture = EndToEndCapture.Write(System.IO.Path.Combine(_data.Path, "stream.jsonl"), Events);
        Expected = CounterOracle.CountFile(Capture);
    }

    public string Capture { get; }

    public ExpectedCounters Expected { get; }

    /// <summary>The embedded data folder (Garnet, the file log, the Ingest's state).</summary>
    public string EmbeddedData => System.IO.Path.Combine(_data.Path, "embedded");

    public Task<EndToEndApp> StartAppAsync(IEnumerable<string>? arguments = null, Action<Aspire.Hosting.Testing.IDistributedApplicationTestingBuilder>? configure = null) =>
        EndToEndApp.StartAsync(EmbeddedData, Capture, Rate, arguments, configure);

    public void Dispose() => _data.Dispose();
}
