namespace Pleiades.Aggregator;

internal static class Extensions
{
    /// <summary>Registers the Aggregator's own services: options now; the counting comes with its issue.</summary>
    public static WebApplicationBuilder AddApplicationServices(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AggregatorOptions>()
            .BindConfiguration(AggregatorOptions.Section)
            .ValidateOnStart();

        return builder;
    }
}
