namespace Pleiades.Hosting.Infrastructure;

/// <summary>The AppHost's configuration cannot work; the message is one line saying what to change.</summary>
public sealed class AppHostConfigurationException(string message) : Exception(message);
