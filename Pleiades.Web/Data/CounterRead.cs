namespace Pleiades.Web.Data;

/// <summary>What a read of the counters found: data, nothing for that day, or no answer from Redis.</summary>
public enum CounterReadState
{
    Data,
    NoData,
    RedisUnreachable,
}

/// <summary>The outcome of one read: a value when <see cref="State"/> is <see cref="CounterReadState.Data"/>.</summary>
public sealed record CounterRead<T>(CounterReadState State, T? Value, string? Problem = null)
    where T : class;

/// <summary>Makes <see cref="CounterRead{T}"/>s.</summary>
public static class CounterRead
{
    public static CounterRead<T> Found<T>(T value) where T : class => new(CounterReadState.Data, value);

    public static CounterRead<T> Empty<T>() where T : class => new(CounterReadState.NoData, null);

    public static CounterRead<T> Unreachable<T>(string problem) where T : class => new(CounterReadState.RedisUnreachable, null, problem);
}
