using Pleiades.Web;

var commandLine = WebCommandLine.Create();
var builder = commandLine.CreateBuilder(args, out var exitCode);
if (builder is null)
{
    return exitCode;
}

var app = commandLine.Build(builder, web => web.AddWebHost(), out exitCode);
if (app is null)
{
    return exitCode;
}

app.MapWebApplication();
return await commandLine.RunAsync(app);
