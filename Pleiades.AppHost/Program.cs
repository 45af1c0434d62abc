using Pleiades.AppHost;
using Pleiades.Hosting.Infrastructure;

if (AppHostCommandLine.Check(args, Console.Out, Console.Error) is { } exit)
{
    return exit;
}

var builder = DistributedApplication.CreateBuilder(args);

PleiadesInfrastructure infrastructure;
// What the infrastructure chose: the mode first, then any warning.
var infrastructureReports = new List<string>();
string streamUrl;
string? replayCapture;
string[] replayArguments;
try
{
    // Kafka and Redis: containers, embedded in this process, or external (--infra; auto by default).
    infrastructure = builder.AddPleiadesInfrastructure(report: infrastructureReports.Add);
    streamUrl = builder.StreamUrl();
    replayCapture = builder.ReplayCapture();
    replayArguments = builder.ReplayArguments();
    builder.EnsureWebPortIsFree();
}
catch (AppHostConfigurationException ex)
{
    await Console.Error.WriteLineAsync($"pleiades-apphost: {ex.Message}");
    return 2;
}

var redis = infrastructure.Redis;

var ingest = builder.AddProject<Projects.Pleiades_Ingest>("ingest", launchProfileName: null)
    .WithHttpEndpoint()
    .UseEventLog(infrastructure)
    .WithEnvironment("Ingest__StreamUrl", streamUrl)
    .WithHttpHealthCheck("/health");
if (infrastructure.IngestStateDirectory is { } ingestState)
{
    ingest.WithEnvironment("Ingest__StateDirectory", ingestState);
}

if (replayCapture is not null)
{
    // Offline: a local EventStreams stand-in serves a capture and the Ingest reads it instead of the live stream.
    var replay = builder.AddProject<Projects.Pleiades_Replay>("replay")
        .WithArgs(["--capture", replayCapture, .. replayArguments])
        .WithHttpHealthCheck("/health");
    ingest.WithEnvironment("Ingest__StreamUrl", ReferenceExpression.Create($"{replay.GetEndpoint("http")}/v2/stream/recentchange"))
        .WaitFor(replay);
}

builder.AddProject<Projects.Pleiades_Aggregator>("aggregator", launchProfileName: null)
    .WithReplicas(infrastructure.Aggregators)
    .WithHttpEndpoint()
    .UseEventLog(infrastructure)
    .WithReference(redis).WaitFor(redis)
    .WithHttpHealthCheck("/health");

var web = builder.AddProject<Projects.Pleiades_Web>("web", launchProfileName: null)
    .WithReference(redis).WaitFor(redis)
    .WithHttpEndpoint(port: AppHostSettings.WebPort)
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health");

foreach (var warning in infrastructureReports.Where(report => report.StartsWith("WARNING:", StringComparison.Ordinal)))
{
    await Console.Error.WriteLineAsync($"pleiades-apphost: {warning}");
}

builder.PrintWhenReady(
    web,
    infrastructure: infrastructureReports.FirstOrDefault() ?? "",
    eventLog: infrastructure.FileLogDirectory is { } fileLog ? $"file ({fileLog}, one Aggregator)" : "kafka");

await builder.Build().RunAsync();
return 0;
