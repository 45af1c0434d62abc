using Pleiades.Replay;

var commandLine = ReplayCommandLine.Create();
var builder = commandLine.CreateBuilder(args, out var exitCode);
if (builder is null)
{
    return exitCode;
}

var app = commandLine.Build(builder, AddReplay, out exitCode);
if (app is null)
{
    return exitCode;
}

app.MapDefaultEndpoints();
app.MapReplay();
return await commandLine.RunAsync(app);

static void AddReplay(WebApplicationBuilder replay)
{
    replay.AddServiceDefaults();
    if (string.IsNullOrEmpty(replay.Configuration[WebHostDefaults.ServerUrlsKey]))
    {
        // Neither --listen nor the AppHost (ASPNETCORE_URLS) said where: the replay's own default, not ASP.NET's :5000.
        replay.WebHost.UseUrls(ReplayOptions.DefaultListenUrl);
    }

    if (replay.Configuration[Microsoft.Extensions.Hosting.Extensions.MetricsPortKey] is not null)
    {
        replay.UseMetricsPort();
    }

    replay.AddApplicationServices();
}
