using Pleiades.Replay;
using Pleiades.Tests.Events;

namespace Pleiades.Tests.Ingest;

/// <summary>The replay server the Ingest's tests read: the 100 real enwiki events unless the options name another capture.</summary>
public static class SampleReplay
{
    public static string Enwiki => RealSamples.PathOf(RealSamples.Enwiki2023);

    public static Task<ReplayServer> StartAsync(ReplayOptions options)
    {
        if (options.Capture.Length == 0)
        {
            options.Capture = Enwiki;
        }

        return ReplayServer.StartAsync(options, TestContext.Current.CancellationToken);
    }
}
