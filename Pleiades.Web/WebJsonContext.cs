using System.Text.Json.Serialization;
using Pleiades.Web.Api;
using Pleiades.Web.Data;

namespace Pleiades.Web;

/// <summary>
/// Source-generated JSON for the API's answers. Property names are kept as declared (<c>Since</c>,
/// <c>Counters</c>, <c>Name</c>, ...), as the original's Go encoder wrote them.
/// </summary>
[JsonSerializable(typeof(DayCounters))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(DayOverview))]
[JsonSerializable(typeof(AllTimeOverview))]
[JsonSerializable(typeof(DaySeries))]
[JsonSerializable(typeof(IReadOnlyList<WikiRanking>))]
[JsonSerializable(typeof(List<RankedEntry>))]
[JsonSerializable(typeof(WikiDetail))]
[JsonSerializable(typeof(FeedState))]
internal sealed partial class WebJsonContext : JsonSerializerContext;
