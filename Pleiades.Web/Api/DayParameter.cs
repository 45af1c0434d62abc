using System.Globalization;

namespace Pleiades.Web.Api;

/// <summary>The <c>{day}</c> of the API's routes: a Unix day as a non-negative decimal integer.</summary>
internal static class DayParameter
{
    /// <summary>Days beyond this (year ~2.7 million) cannot hold data; they are valid input but read nothing.</summary>
    public const long LastPossibleDay = 1_000_000_000;

    /// <summary>Parses <paramref name="text"/>; false when it is not a non-negative integer (a 400).</summary>
    public static bool TryParse(string? text, out long day)
    {
        day = 0;
        if (string.IsNullOrEmpty(text) || text.Length > 32 || !text.All(char.IsAsciiDigit))
        {
            return false;
        }

        // A syntactically good day too large for a long is still a day: it has no data.
        day = long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed <= LastPossibleDay
            ? parsed
            : LastPossibleDay + 1;
        return true;
    }

    /// <summary>The literal segment of the all-time routes, <c>/api/stats/all</c> and <c>/api/stats/all/overview</c> (routing ignores its case).</summary>
    public const string AllTime = "all";

    /// <summary>What the OpenAPI document says of <c>{day}</c>.</summary>
    public const string Description =
        "A Unix day: the Unix time in seconds divided by 86400, as a non-negative integer (anything else is a 400). "
        + "All time has only /api/stats/all and /api/stats/all/overview: under the other routes 'all' is a 404.";

    /// <summary>
    /// The answer for a <c>{day}</c> that <see cref="TryParse"/> refused: a 400, except for <see cref="AllTime"/> under a
    /// route that exists per day only (<c>/api/stats/all/series</c>), which names a view that does not exist rather than a bad day.
    /// </summary>
    public static IResult NotADay(string? text) =>
        string.Equals(text, AllTime, StringComparison.OrdinalIgnoreCase)
            ? TypedResults.Problem(
                title: "No all-time view",
                detail: "This view exists per day only. All time has its counters (/api/stats/all) and its overview (/api/stats/all/overview).",
                statusCode: StatusCodes.Status404NotFound)
            : TypedResults.Problem(
                title: "Bad day",
                detail: $"'{Shorten(text)}' is not a day: give a non-negative integer, the Unix time in seconds divided by 86400.",
                statusCode: StatusCodes.Status400BadRequest);

    private static string? Shorten(string? text) => text is { Length: > 40 } ? text[..40] + "..." : text;
}
