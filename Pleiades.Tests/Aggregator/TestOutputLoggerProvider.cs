using Microsoft.Extensions.Logging;
using Pleiades.Tests.Support;

namespace Pleiades.Tests.Aggregator;

/// <summary>Writes log lines to the current test's output, so a failing run explains itself.</summary>
public sealed class TestOutputLoggerProvider(ITestOutputHelper output, LogLevel minimum = LogLevel.Information) : ILoggerProvider
{
    public static ILoggerFactory CreateFactory() =>
        TestContext.Current.TestOutputHelper is { } output
            ? LoggerFactory.Create(builder => builder.AddProvider(new TestOutputLoggerProvider(output)).SetMinimumLevel(LogLevel.Debug))
            : Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance;

    public ILogger CreateLogger(string categoryName) => new Logger(output, categoryName[(categoryName.LastIndexOf('.') + 1)..], minimum);

    public void Dispose()
    {
    }

    private sealed class Logger(ITestOutputHelper output, string category, LogLevel minimum) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            TestOutput.Write(output, $"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : " " + exception.GetType().Name + ": " + exception.Message)}");
        }
    }
}
