using System.Globalization;

namespace Pleiades.Benchmarks;

/// <summary>
/// A command's <c>--name value</c> options. An unknown name, a name without its value or a value that is not a number
/// where one is needed is refused with a <see cref="UsageException"/> (printed with the usage, exit 2): a mistyped option
/// must not start a minutes-long run with the defaults.
/// </summary>
internal sealed class CommandOptions
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public CommandOptions(string[] args, params string[] names)
    {
        for (var i = 0; i < args.Length; i += 2)
        {
            var name = args[i].StartsWith("--", StringComparison.Ordinal) ? args[i][2..] : "";
            if (!names.Contains(name))
            {
                throw new UsageException($"unknown option '{args[i]}'; this command takes --{string.Join(", --", names)}");
            }

            if (i + 1 == args.Length)
            {
                throw new UsageException($"{args[i]} needs a value");
            }

            _values[name] = args[i + 1];
        }
    }

    public string? Text(string name) => _values.GetValueOrDefault(name);

    public string Text(string name, string fallback) => _values.GetValueOrDefault(name, fallback);

    public int Number(string name, int fallback, int minimum = 1) =>
        _values.TryGetValue(name, out var text) ? Parse(name, text, minimum) : fallback;

    public IReadOnlyList<int> Numbers(string name, string fallback) => [.. Text(name, fallback).Split(',').Select(n => Parse(name, n, 1))];

    private static int Parse(string name, string text, int minimum) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= minimum
            ? number
            : throw new UsageException($"--{name} takes a whole number from {minimum}, not '{text}'");
}

/// <summary>The command line is wrong; the message says how.</summary>
internal sealed class UsageException(string message) : Exception(message);
