using Pleiades.Replay;

var builder = ReplayCommandLine.Create().CreateBuilder(args, out var exitCode);
if (builder is null)
{
    return exitCode;
}

builder.AddServiceDefaults();
if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
{
    // Neither --listen nor the AppHost (ASPNETCORE_URLS) said where: the replay's own default, not ASP.NET's :5000.
    builder.WebHost.UseUrls(ReplayOptions.DefaultListenUrl);
}

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
