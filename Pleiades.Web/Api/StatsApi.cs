using System.ComponentModel;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Pleiades.Web.Data;
using Pleiades.Web.Wikis;

namespace Pleiades.Web.Api;

/// <summary>
/// The REST API: the original's <c>/api/stats</c>, <c>/api/stats/{day}</c> and <c>/api/days</c> (CONTRACT.md
/// section 3), the all-time counters (<c>/api/stats/all</c>), and what the dashboard shows, read from the shared snapshots (never straight from Redis per request).
/// </summary>
internal static class StatsApi
{
    public const string CorsPolicy = "api";
    public const string RateLimitPolicy = "api";
    private const int DefaultTopLength = 15;
    private const int MaxWikis = 1000;

    public static IEndpointRouteBuilder MapStatsApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api")
            .RequireCors(CorsPolicy)
            .RequireRateLimiting(RateLimitPolicy)
            .AddEndpointFilter<SizedJsonFilter>()
            .WithTags("Counters")
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        api.MapGet("/stats", async (CounterSnapshots snapshots, HttpContext context) =>
                ToResult(await snapshots.GetDayCountersAsync(snapshots.Today), document => Document(document, context)))
            .WithName("GetTodayStats")
            .WithSummary("Today's counters (UTC day), as the original returned them.")
            .Produces<DayCounters>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        // Literal segments win over parameters in routing, so "all" never reaches {day} (and its 400 for a bad day); under
        // the per-day routes below it does, and is a 404 (DayParameter.NotADay): there is no all-time series, ranking or top list.
        api.MapGet("/stats/all", async (CounterSnapshots snapshots, HttpContext context) =>
                ToResult(await snapshots.GetAllTimeCountersAsync(), all => Document(all.Document, context), NothingCounted))
            .WithName("GetAllTimeStats")
            .WithSummary("The all-time counters, in the shape of a day's; Since is the first second of the first day with data (pleiades:days).")
            .Produces<DayCounters>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/stats/all/overview", async (CounterSnapshots snapshots) =>
                ToResult(await snapshots.GetAllTimeCountersAsync(), all => TypedResults.Ok(AllTimeOverview.From(all)), NothingCounted))
            .WithName("GetAllTimeOverview")
            .WithSummary("The all-time headline numbers: first day, days with data, events, bots, minor edits, new pages, growth, wikis.")
            .Produces<AllTimeOverview>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/stats/{day}", async ([Description(DayParameter.Description)] string day, CounterSnapshots snapshots, HttpContext context) =>
                DayParameter.TryParse(day, out var d)
                    ? ToResult(await snapshots.GetDayCountersAsync(d), document => Document(document, context))
                    : DayParameter.NotADay(day))
            .WithName("GetDayStats")
            .WithSummary("A day's counters; the day is the Unix time in seconds divided by 86400.")
            .Produces<DayCounters>()
            .ProducesDayProblems();

        api.MapGet("/days", async (CounterSnapshots snapshots) =>
                ToResult(await snapshots.GetDaysAsync(), days =>
                    TypedResults.Ok(days.Select(d => d.ToString(CultureInfo.InvariantCulture)).ToArray())))
            .WithName("GetDays")
            .WithSummary("The days that have counters, ascending, as strings.")
            .Produces<string[]>();

        api.MapGet("/stats/{day}/overview", ([Description(DayParameter.Description)] string day, CounterSnapshots snapshots) =>
                WithDayView(day, snapshots, view => TypedResults.Ok(DayOverview.From(view))))
            .WithName("GetDayOverview")
            .WithSummary("The day's headline numbers: events, bots, minor edits, new pages, growth, unique editors, types.")
            .Produces<DayOverview>()
            .ProducesDayProblems();

        api.MapGet("/stats/{day}/series", ([Description(DayParameter.Description)] string day, CounterSnapshots snapshots) =>
                WithDayView(day, snapshots, view => TypedResults.Ok(new DaySeries(view.Day, view.EventsPerHour, view.EventsPerMinute))))
            .WithName("GetDaySeries")
            .WithSummary("Events per hour and per minute of the day (UTC).")
            .Produces<DaySeries>()
            .ProducesDayProblems();

        api.MapGet("/stats/{day}/wikis", async ([Description(DayParameter.Description)] string day, string? family, int? limit, CounterSnapshots snapshots) =>
            {
                if (!TryParseFamily(family, out var wikiFamily) || !TryParseLimit(limit, MaxWikis, out var top))
                {
                    return BadQuery("family must be a Wikimedia project (wikipedia, wiktionary, special, ...); limit 1 to 1000");
                }

                return await WithDayView(day, snapshots, view => TypedResults.Ok(WikisByEvents.Top(view, wikiFamily, top)));
            })
            .WithName("GetDayWikis")
            .WithSummary("Wikis by events on the day, most first; optionally one project only (family=wikipedia, wiktionary, special, ...).")
            .Produces<IReadOnlyList<WikiRanking>>()
            .ProducesDayProblems();

        api.MapGet("/stats/{day}/top/pages", async ([Description(DayParameter.Description)] string day, int? limit, CounterSnapshots snapshots) =>
                TryParseLimit(limit, CounterReader.TopListLength, out var top)
                    ? await WithDayView(day, snapshots, view => TypedResults.Ok(view.TopPages.Take(top).ToList()))
                    : BadQuery("limit must be 1 to 100"))
            .WithName("GetTopPages")
            .WithSummary("The day's most edited pages ({wiki, title, events}).")
            .Produces<IReadOnlyList<RankedEntry>>()
            .ProducesDayProblems();

        api.MapGet("/stats/{day}/top/editors", async ([Description(DayParameter.Description)] string day, bool? bots, int? limit, CounterSnapshots snapshots) =>
                TryParseLimit(limit, CounterReader.TopListLength, out var top)
                    ? await WithDayView(day, snapshots, view => TypedResults.Ok((bots == true ? view.TopBotEditors : view.TopHumanEditors).Take(top).ToList()))
                    : BadQuery("limit must be 1 to 100"))
            .WithName("GetTopEditors")
            .WithSummary("The day's most active editors ({wiki, user, events}); humans, or bots with bots=true.")
            .Produces<IReadOnlyList<RankedEntry>>()
            .ProducesDayProblems();

        api.MapGet("/stats/{day}/wikis/{wiki}", async ([Description(DayParameter.Description)] string day, string wiki, int? limit, CounterSnapshots snapshots) =>
            {
                if (!DayParameter.TryParse(day, out var d))
                {
                    return DayParameter.NotADay(day);
                }

                if (WikiName.Parse(wiki).Family == WikiFamily.Unknown || !TryParseLimit(limit, CounterReader.TopListLength, out var top))
                {
                    return BadQuery("wiki must be a wiki's database name such as dewiki; limit 1 to 100");
                }

                return ToResult(await snapshots.GetWikiDayCountersAsync(d, wiki, top), counters => TypedResults.Ok(WikiDetail.From(counters)));
            })
            .WithName("GetWikiDetail")
            .WithSummary("One wiki's day: events, bots, per hour and minute, per namespace, top pages.")
            .Produces<WikiDetail>()
            .ProducesDayProblems();

        api.MapGet("/status", async (CounterSnapshots snapshots, IOptions<WebOptions> options) =>
                ToResult(await snapshots.GetAggregatorStatusAsync(), status =>
                    TypedResults.Ok(FeedState.From(status, snapshots.Now, options.Value.StaleAfter))))
            .WithName("GetFeedState")
            .WithSummary("When counters last arrived, whether they stopped arriving, and events lost before they were counted.")
            .Produces<FeedState>();

        return endpoints;
    }

    /// <summary>What every <c>{day}</c> route may answer besides its document: 400 for a day that is not one, 404 without data.</summary>
    private static RouteHandlerBuilder ProducesDayProblems(this RouteHandlerBuilder route) =>
        route.ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);

    private static async Task<IResult> WithDayView(string day, CounterSnapshots snapshots, Func<DayView, IResult> found) =>
        DayParameter.TryParse(day, out var d)
            ? ToResult(await snapshots.GetDayViewAsync(d), found)
            : DayParameter.NotADay(day);

    /// <summary>The day's JSON as serialized once per snapshot, gzipped for clients that accept it.</summary>
    private static FileContentHttpResult Document(DayCountersDocument document, HttpContext context)
    {
        context.Response.Headers.Vary = HeaderNames.AcceptEncoding;
        if (!AcceptsGzip(context.Request))
        {
            return TypedResults.Bytes(document.Utf8Json, "application/json");
        }

        context.Response.Headers.ContentEncoding = "gzip";
        return TypedResults.Bytes(document.GzipJson, "application/json");
    }

    private static bool AcceptsGzip(HttpRequest request)
    {
        foreach (var value in request.Headers.AcceptEncoding)
        {
            if (value is not null && StringWithQualityHeaderValue.TryParseList(value.Split(','), out var encodings)
                && encodings.Any(e => e.Value.Equals("gzip", StringComparison.OrdinalIgnoreCase) && (e.Quality ?? 1) > 0))
            {
                return true;
            }
        }

        return false;
    }

    private static IResult ToResult<T>(CounterRead<T> read, Func<T, IResult> found, Func<IResult>? notFound = null)
        where T : class => read.State switch
        {
            CounterReadState.Data => found(read.Value!),
            CounterReadState.NoData => notFound?.Invoke() ?? NoData("There are no counters for that day."),
            _ => TypedResults.Problem(title: "Counters unavailable", detail: "Redis, where the counters are kept, does not answer.", statusCode: StatusCodes.Status503ServiceUnavailable),
        };

    private static ProblemHttpResult NoData(string detail) =>
        TypedResults.Problem(title: "No data", detail: detail, statusCode: StatusCodes.Status404NotFound);

    private static ProblemHttpResult NothingCounted() => NoData("Nothing has been counted yet.");

    private static bool TryParseLimit(int? limit, int max, out int top)
    {
        top = limit ?? DefaultTopLength;
        return top >= 1 && top <= max;
    }

    private static bool TryParseFamily(string? text, out WikiFamily? family)
    {
        family = null;
        if (text is null)
        {
            return true;
        }

        if (Enum.TryParse<WikiFamily>(text, ignoreCase: true, out var parsed) && !char.IsAsciiDigit(text[0]))
        {
            family = parsed;
            return true;
        }

        return false;
    }

    private static ProblemHttpResult BadQuery(string detail) =>
        TypedResults.Problem(title: "Bad request", detail: detail, statusCode: StatusCodes.Status400BadRequest);
}
