namespace Pleiades.Tests.Support;

public class MetricsTextTests
{
    private const string Text = """
        # TYPE pleiades_recv_errors_total counter
        # HELP pleiades_recv_errors_total Errors while receiving, by type
        pleiades_recv_errors_total{otel_scope_name="Pleiades.Ingest",type="http_5xx"} 2
        pleiades_recv_errors_total{otel_scope_name="Pleiades.Ingest",type="http_429"} 3
        # TYPE pleiades_recv_events_total counter
        pleiades_recv_events_total{otel_scope_name="Pleiades.Ingest"} 0
        # EOF
        """;

    [Fact]
    public void A_series_reads_as_the_sum_of_its_matching_samples()
    {
        Assert.Equal(5, MetricsText.Value(Text, "pleiades_recv_errors_total"));
        Assert.Equal(3, MetricsText.Value(Text, "pleiades_recv_errors_total", "type=\"http_429\""));
        Assert.Equal(0, MetricsText.Value(Text, "pleiades_recv_events_total"));
    }

    [Theory]
    [InlineData("pleiades_recv_event_total", null)] // misspelt
    [InlineData("pleiades_recv_errors", null)] // a prefix of a series is not that series
    [InlineData("pleiades_recv_errors_total", "type=\"http_403\"")]
    public void A_series_that_is_not_there_fails_instead_of_reading_as_zero(string name, string? label)
    {
        Assert.Throws<KeyNotFoundException>(() => MetricsText.Value(Text, name, label));
        Assert.Null(MetricsText.OptionalValue(Text, name, label));
    }
}
