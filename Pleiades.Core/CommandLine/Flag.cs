namespace Pleiades.CommandLine;

/// <summary>
/// One command-line flag in the original's Go style: <c>-name</c> or <c>--name</c>, a value as the
/// next argument or after <c>=</c>, and switches that take <c>=false</c>. A flag sets one
/// configuration key, so flags and configuration share one model and flags win.
/// </summary>
/// <param name="Name">The long name without dashes, e.g. <c>kafka.broker</c>.</param>
/// <param name="ConfigurationKey">The configuration key the flag sets, e.g. <c>Kafka:Broker</c>; null for flags handled by the parser itself.</param>
/// <param name="Help">One line for <c>--help</c>.</param>
/// <param name="IsSwitch">True for a boolean switch, false for a flag that takes a value.</param>
/// <param name="Default">The default shown by <c>--help</c>, when there is one.</param>
/// <param name="ShortName">An optional one-letter alias, e.g. <c>r</c> for <c>resume</c>.</param>
/// <param name="Validate">Checks a value and returns an error message, or null when the value is good.</param>
public sealed record Flag(
    string Name,
    string? ConfigurationKey,
    string Help,
    bool IsSwitch = false,
    string? Default = null,
    string? ShortName = null,
    Func<string, string?>? Validate = null)
{
    /// <summary>A flag whose value is a TCP port, 1 to 65535.</summary>
    public static Flag Port(string name, string configurationKey, string help, int? defaultPort = null) =>
        new(name, configurationKey, help, Default: defaultPort?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Validate: value => int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
                ? null
                : $"'{value}' is not a port number (1-65535)");

    /// <summary>A flag whose value is an address <c>HOST:PORT</c> (several may be separated by commas when <paramref name="allowList"/>).</summary>
    public static Flag HostAndPort(string name, string configurationKey, string help, string? defaultValue = null, bool allowList = false) =>
        new(name, configurationKey, help, Default: defaultValue,
            Validate: value => HostAndPortValidator.Validate(value, allowList));
}
