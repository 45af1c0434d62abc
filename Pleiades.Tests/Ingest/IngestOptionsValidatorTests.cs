using Pleiades.Ingest;

namespace Pleiades.Tests.Ingest;

public class IngestOptionsValidatorTests
{
    [Fact]
    public void The_defaults_are_valid()
    {
        Assert.True(new IngestOptionsValidator().Validate(null, new IngestOptions()).Succeeded);
    }

    [Fact]
    public void Every_bad_setting_is_reported_at_once()
    {
        var result = new IngestOptionsValidator().Validate(null, new IngestOptions
        {
            KafkaPartitions = 0,
            DedupeWindow = -1,
            ProgressInterval = TimeSpan.Zero,
            ShutdownDrainTimeout = TimeSpan.FromSeconds(-1),
            StateDirectory = " ",
            BatchSize = 0,
        });

        Assert.True(result.Failed);
        var failures = result.Failures!.ToList();
        Assert.Equal(6, failures.Count);
        foreach (var setting in (string[])["KafkaPartitions", "DedupeWindow", "ProgressInterval", "ShutdownDrainTimeout", "StateDirectory", "BatchSize"])
        {
            Assert.Contains(failures, f => f.Contains("Ingest:" + setting, StringComparison.Ordinal));
        }
    }
}
