using Microsoft.Extensions.Options;
using Pleiades.Counters;

namespace Pleiades.Web.Data;

/// <summary>
/// The counters as the API and the dashboard see them: every view read in one Redis call and shared between
/// all users for <see cref="WebOptions.SnapshotLifetime"/>.
/// </summary>
public sealed class CounterSnapshots
{
    private readonly CounterReader _reader;
    private readonly TimeProvider _time;
    private readonly SharedSnapshotCache<long, CounterRead<DayCountersDocument>> _dayCounters;
    private readonly SharedSnapshotCache<bool, CounterRead<AllTimeCounters>> _allTimeCounters;
    private readonly SharedSnapshotCache<long, CounterRead<DayView>> _dayViews;
    private readonly SharedSnapshotCache<(long Day, string Wiki, int Top), CounterRead<WikiDayCounters>> _wikiDayCounters;
    private readonly SharedSnapshotCache<bool, CounterRead<IReadOnlyList<long>>> _days;
    private readonly SharedSnapshotCache<bool, CounterRead<AggregatorStatus>> _aggregatorStatus;

    public CounterSnapshots(CounterReader reader, TimeProvider time, IOptions<WebOptions> options)
    {
        _reader = reader;
        _time = time;
        var lifetime = options.Value.SnapshotLifetime;
        _dayCounters = new(time, lifetime);
        _allTimeCounters = new(time, lifetime);
        _dayViews = new(time, lifetime);
        _wikiDayCounters = new(time, lifetime);
        _days = new(time, lifetime);
        _aggregatorStatus = new(time, lifetime);
    }

    /// <summary>Today as the contract counts days.</summary>
    public long Today => UnixDay.Of(_time.GetUtcNow());

    public DateTimeOffset Now => _time.GetUtcNow();

    public Task<CounterRead<DayCountersDocument>> GetDayCountersAsync(long day) => _dayCounters.GetAsync(day, _reader.ReadDayCountersAsync);

    /// <summary>The all-time counters, shared by <c>/api/stats/all</c> and every dashboard as the day's are.</summary>
    public Task<CounterRead<AllTimeCounters>> GetAllTimeCountersAsync() => _allTimeCounters.GetAsync(true, _ => _reader.ReadAllTimeCountersAsync());

    public Task<CounterRead<DayView>> GetDayViewAsync(long day) => _dayViews.GetAsync(day, _reader.ReadDayViewAsync);

    public Task<CounterRead<WikiDayCounters>> GetWikiDayCountersAsync(long day, string wiki, int top) =>
        _wikiDayCounters.GetAsync((day, wiki, top), key => _reader.ReadWikiDayCountersAsync(key.Day, key.Wiki, key.Top));

    public Task<CounterRead<IReadOnlyList<long>>> GetDaysAsync() => _days.GetAsync(true, _ => _reader.ReadDaysAsync());

    /// <summary>What the Aggregators recorded in <c>pleiades:status</c>, read on its own: it describes the stream whatever day its events belong to.</summary>
    public Task<CounterRead<AggregatorStatus>> GetAggregatorStatusAsync() => _aggregatorStatus.GetAsync(true, _ => _reader.ReadAggregatorStatusAsync());
}
