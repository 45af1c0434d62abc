using Pleiades.AppHost;
using Pleiades.Hosting.Infrastructure;

var builder = DistributedApplication.CreateBuilder(args);

PleiadesInfrastructure infrastructure;
string streamUrl;
string? replayCapture;
string replayRate;
try
{
    // Kafka and Redis: containers, embedded in this process, or external (--infra; auto by default).
    infrastructure = builder.AddPleiadesInfrastructure(report: Console.WriteLine);
    streamUrl = builder.StreamUrl();
    replayCapture = builder.ReplayCapture();
    replayRate = builder.ReplayRate();
    builder.EnsureWebPortIsFree();
}
catch (AppHostConfigurationException ex)
{
    await Console.Error.WriteLineAsync($"pleiades-apphost: {ex.Message}");
    return 2;
}

var redis = infrastructure.Redis;

var ingest = builder.AddProject<Projects.Pleiades_Ingest>("ingest")
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
        .WithArgs("--capture", replayCapture, "--rate", replayRate)
        .WithHttpHealthCheck("/health");
    ingest.WithEnvironment("Ingest__StreamUrl", ReferenceExpression.Create($"{replay.GetEndpoint("http")}/v2/stream/recentchange"))
        .WaitFor(replay);
}

builder.AddProject<Projects.Pleiades_Aggregator>("aggregator")
    .WithReplicas(infrastructure.Aggregators)
    .UseEventLog(infrastructure)
    .WithReference(redis).WaitFor(redis)
    .WithHttpHealthCheck("/health");

builder.AddProject<Projects.Pleiades_Web>("web")
    .WithReference(redis).WaitFor(redis)
    .WithEndpoint("http", endpoint => endpoint.Port = AppHostSettings.WebPort)
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health");

await builder.Build().RunAsync();
return 0;
