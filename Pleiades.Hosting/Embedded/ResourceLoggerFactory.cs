using Microsoft.Extensions.Logging;

namespace Pleiades.Hosting.Embedded;

/// <summary>Sends every log of an embedded server to its resource's console log on the dashboard.</summary>
internal sealed class ResourceLoggerFactory(ILogger resourceLogger) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => resourceLogger;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }
}
