var builder = DistributedApplication.CreateBuilder(args);

var redis = builder.AddRedis("redis");

builder.AddProject<Projects.Pleiades_Ingest>("ingest")
    .WithHttpHealthCheck("/health");

builder.AddProject<Projects.Pleiades_Aggregator>("aggregator")
    .WithReplicas(2)
    .WithReference(redis).WaitFor(redis)
    .WithHttpHealthCheck("/health");

builder.AddProject<Projects.Pleiades_Web>("web")
    .WithReference(redis).WaitFor(redis)
    .WithHttpHealthCheck("/health");

builder.Build().Run();
