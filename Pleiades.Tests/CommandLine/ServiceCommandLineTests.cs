using Pleiades.CommandLine;
using Pleiades.EventLog;

namespace Pleiades.Tests.CommandLine;

public class ServiceCommandLineTests
{
    private static ServiceCommandLine CreateCommandLine() =>
        new ServiceCommandLine("pleiades-test", "A test service.",
            [
                .. EventLogFlags.All,
                new Flag("resume", "Test:Resume", "resume", IsSwitch: true, Default: "true", ShortName: "r"),
            ])
            .WithCheck(EventLogFlags.CheckOneLog);

    private static (FlagParseResult Result, string Output, string Error) Parse(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var result = CreateCommandLine().Parse(args, output, error);
        return (result, output.ToString(), error.ToString());
    }

    [Fact]
    public void Go_style_flags_set_their_configuration_keys()
    {
        var (result, _, error) = Parse("--kafka.broker", "broker:9092", "-kafka.topic=edits", "-r=false", "--file.publishDir", "/tmp/log");

        Assert.True(result.ShouldRun, error);
        Assert.Equal("broker:9092", result.Settings["ConnectionStrings:kafka"]);
        Assert.Equal("edits", result.Settings[EventLogFlags.KafkaTopicKey]);
        Assert.Equal("false", result.Settings["Test:Resume"]);
        Assert.Equal("/tmp/log", result.Settings[EventLogFlags.FileDirectoryKey]);
    }

    [Fact]
    public void Help_lists_every_flag_and_exits_zero()
    {
        var (result, output, _) = Parse("--help");

        Assert.Equal(0, result.ExitCode);
        foreach (var flag in CreateCommandLine().Flags)
        {
            Assert.Contains("--" + flag.Name, output, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("unknown flag", "--nope")]
    [InlineData("needs a value", "--kafka.topic")]
    [InlineData("not a port", "--metricsPort", "99999")]
    [InlineData("HOST:PORT", "--kafka.broker", "nohost")]
    [InlineData("exclude each other", "-v", "-q")]
    [InlineData("exclude each other", "--file.enable", "--kafka.enable")]
    [InlineData("true or false", "--resume=maybe")]
    [InlineData("unexpected argument", "stray")]
    public void A_bad_command_line_is_one_line_on_stderr_and_exit_code_2(string expected, params string[] args)
    {
        var (result, output, error) = Parse(args);

        Assert.Equal(ServiceCommandLine.UsageExitCode, result.ExitCode);
        Assert.Empty(output);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public void Verbose_and_quiet_set_the_log_level()
    {
        Assert.Equal("Debug", Parse("-v").Result.Settings["Logging:LogLevel:Default"]);
        Assert.Equal("Error", Parse("--quiet").Result.Settings["Logging:LogLevel:Default"]);
    }
}
