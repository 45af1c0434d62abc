using Pleiades.Replay;

var builder = ReplayCommandLine.Create().CreateBuilder(args, out var exitCode);
if (builder is null)
{
    return exitCode;
}

builder.AddServiceDefaults();
builder.UseListenAddress();
if (builder.Configuration[Microsoft.Extensions.Hosting.Extensions.MetricsPortKey] is not null)
{
    builder.UseMetricsPort();
}

builder.AddApplicationServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapReplay();
await app.RunAsync();
return 0;
