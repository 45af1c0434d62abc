using Pleiades.Web;

var builder = WebCommandLine.Create().CreateBuilder(args, out var exitCode);
if (builder is null)
{
    return exitCode;
}

builder.AddWebHost();

var app = builder.Build();
app.MapWebApplication();
await app.RunAsync();
return 0;
