namespace Pleiades.Ingest;

internal static class Extensions
{
    /// <summary>Registers the Ingest's own services: options now; the relay comes with its issue.</summary>
    public static WebApplicationBuilder AddApplicationServices(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<IngestOptions>()
            .BindConfiguration(IngestOptions.Section)
            .ValidateOnStart();

        return builder;
    }
}
