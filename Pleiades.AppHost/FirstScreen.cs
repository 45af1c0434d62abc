using Microsoft.Extensions.Configuration;

namespace Pleiades.AppHost;

/// <summary>
/// The block the AppHost prints once the site's address is known: where the site is, how to log in to the dashboard,
/// and which infrastructure and event log it runs on. Aspire's own start-up messages are at Warning
/// (appsettings.json), so this is what a user reads.
/// </summary>
internal static class FirstScreen
{
    /// <summary>Prints the block when the Web's endpoints are allocated (in run mode only).</summary>
    public static void PrintWhenReady(
        this IDistributedApplicationBuilder builder, IResourceBuilder<ProjectResource> web, string infrastructure, string eventLog)
    {
        if (!builder.ExecutionContext.IsRunMode)
        {
            return;
        }

        builder.Eventing.Subscribe<ResourceEndpointsAllocatedEvent>(web.Resource, (_, _) =>
        {
            Console.Out.Write(Text(web.GetEndpoint("http").Url, DashboardLoginUrl(builder.Configuration), infrastructure, eventLog));
            return Task.CompletedTask;
        });
    }

    /// <summary>The block itself.</summary>
    public static string Text(string siteUrl, string? dashboardLoginUrl, string infrastructure, string eventLog) => $"""

        Pleiades
          site:            {siteUrl}
          dashboard:       {dashboardLoginUrl ?? "off"}
          infrastructure:  {infrastructure}
          event log:       {eventLog}
          Ctrl-C stops everything.


        """;

    /// <summary>The dashboard's address (the AppHost's ASPNETCORE_URLS) with the browser token that logs in, when there is one.</summary>
    public static string? DashboardLoginUrl(IConfiguration configuration)
    {
        var url = configuration["ASPNETCORE_URLS"]?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        if (url is null)
        {
            return null;
        }

        var token = configuration["AppHost:BrowserToken"];
        return string.IsNullOrEmpty(token) ? url : $"{url.TrimEnd('/')}/login?t={token}";
    }
}
