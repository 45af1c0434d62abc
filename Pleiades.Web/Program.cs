using Pleiades.Web;

var commandLine = WebCommandLine.Create();
var builder = commandLine.CreateBuilder(args, out var exitCode);
if (builder is null)
{
    return exitCode;
}

builder.AddWebHost();

var app = builder.Build();
if (!commandLine.ValidateSettings(app.Services, out exitCode))
{
    return exitCode;
}

app.MapWebApplication();
await app.RunAsync();
return 0;
