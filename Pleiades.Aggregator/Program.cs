using Pleiades.Aggregator;
using Pleiades.Runtime;

MallocArenas.Limit();

var builder = AggregatorCommandLine.Create().CreateBuilder(args, out var exitCode);
if (builder is null)
{
    return exitCode;
}

builder.AddServiceDefaults();
builder.UseMetricsPort();
builder.AddApplicationServices();

var app = builder.Build();
app.MapDefaultEndpoints();
await app.RunAsync();
return 0;
