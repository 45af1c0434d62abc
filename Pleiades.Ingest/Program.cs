using Pleiades.Ingest;
using Pleiades.Runtime;

MallocArenas.Limit();

var commandLine = IngestCommandLine.Create();
var builder = commandLine.CreateBuilder(args, out var exitCode);
if (builder is null)
{
    return exitCode;
}

var app = commandLine.Build(builder, ingest => ingest.AddServiceDefaults().UseMetricsPort().AddApplicationServices(), out exitCode);
if (app is null)
{
    return exitCode;
}

app.MapDefaultEndpoints();
return await commandLine.RunAsync(app);
