using Pleiades.Web;

var builder = WebCommandLine.Create().CreateBuilder(args, out var exitCode);
if (builder is null)
{
    return exitCode;
}

builder.AddServiceDefaults();
builder.UseListenAddress();
builder.UseMetricsPort();
builder.AddApplicationServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapGet("/", () => Results.Text("Pleiades: the dashboard arrives with its issue.", "text/plain"));
await app.RunAsync();
return 0;
