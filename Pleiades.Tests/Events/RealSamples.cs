using Pleiades.Tests.Sse;

namespace Pleiades.Tests.Events;

/// <summary>The real JSON-lines samples in the repository's data/samples (data/README.md names their origins).</summary>
public static class RealSamples
{
    public const string Enwiki2023 = "enwiki-2023-07-29.ndjson";
    public const string WikidataBatch2018 = "one_qs_batch.jsonl";
    public const string WikidataReverts2018 = "qs_batch_with_reverts.jsonl";
    public const string WikidataNewItems2018 = "qs_batch_with_new_items.jsonl";

    public static string PathOf(string sample) => Path.Combine(RepositoryData.Samples, sample);

    /// <summary>The non-empty lines of a JSON-lines sample, as the UTF-8 bytes a log record holds.</summary>
    public static IReadOnlyList<byte[]> Lines(string sample) =>
        File.ReadLines(PathOf(sample))
            .Where(line => line.Length > 0)
            .Select(System.Text.Encoding.UTF8.GetBytes)
            .ToList();
}
