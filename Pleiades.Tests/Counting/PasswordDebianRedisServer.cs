namespace Pleiades.Tests.Counting;

/// <summary>redis-server that requires a password (<c>--requirepass</c>).</summary>
public sealed class PasswordDebianRedisServer : DebianRedisServer
{
    public override string? Password => "pleiades-test-secret";

    protected override IEnumerable<string> ServerArguments() => [.. base.ServerArguments(), "--requirepass", Password!];
}
