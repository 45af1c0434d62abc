using Pleiades.Aggregator;
using Pleiades.Runtime;

MallocArenas.Limit();

var commandLine = AggregatorCommandLine.Create();
var builder = commandLine.CreateBuilder(args, out var exitCode);
if (builder is null)
{
    return exitCode;
}

var app = commandLine.Build(builder, aggregator => aggregator.AddServiceDefaults().UseMetricsPort().AddApplicationServices(), out exitCode);
if (app is null)
{
    return exitCode;
}

app.MapDefaultEndpoints();
return await commandLine.RunAsync(app);
