using Pleiades.Aggregator;
using Pleiades.Runtime;

MallocArenas.Limit();

var commandLine = AggregatorCommandLine.Create();
var builder = commandLine.CreateBuilder(args, out var exitCode);
if (builder is null)
{
    return exitCode;
}

builder.AddServiceDefaults();
builder.UseMetricsPort();
builder.AddApplicationServices();

var app = builder.Build();
if (!commandLine.ValidateSettings(app.Services, out exitCode))
{
    return exitCode;
}

app.MapDefaultEndpoints();
await app.RunAsync();
return 0;
