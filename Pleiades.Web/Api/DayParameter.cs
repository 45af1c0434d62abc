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

    public static IResult BadDay(string? text) =>
        TypedResults.Problem(
            title: "Bad day",
            detail: $"'{Shorten(text)}' is not a day: give a non-negative integer, the Unix time in seconds divided by 86400.",
            statusCode: StatusCodes.Status400BadRequest);

    private static string? Shorten(string? text) => text is { Length: > 40 } ? text[..40] + "..." : text;
}
