using System.Text.Json;
using Microsoft.Extensions.Options;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Pleiades.Web.Api;

/// <summary>
/// Writes the API's 200 JSON answers with a Content-Length, serialised as <c>TypedResults.Ok</c> would (the same
/// options and source-generated contract). Without a length Kestrel sends them chunked, and the closing empty chunk
/// leaves in a second <c>sendmsg</c> when requests run inline (<c>Web:Transport:InlineScheduling</c>): two packets and
/// two reads per small response (docs/web.md).
/// </summary>
internal sealed class SizedJsonFilter(IOptions<JsonOptions> options) : IEndpointFilter
{
    private readonly JsonSerializerOptions _json = options.Value.SerializerOptions;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        if (result is IValueHttpResult { Value: { } value } and IStatusCodeHttpResult { StatusCode: StatusCodes.Status200OK } and not IFileHttpResult)
        {
            return TypedResults.Bytes(JsonSerializer.SerializeToUtf8Bytes(value, _json.GetTypeInfo(value.GetType())), "application/json; charset=utf-8");
        }

        return result;
    }
}
