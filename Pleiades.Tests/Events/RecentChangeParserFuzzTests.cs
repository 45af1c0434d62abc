using CsCheck;
using Pleiades.Aggregator.Events;

namespace Pleiades.Tests.Events;

/// <summary>Whatever bytes arrive, parsing classifies them and never throws.</summary>
public class RecentChangeParserFuzzTests
{
    private static readonly List<byte[]> Real =
        RealSamples.Lines(RealSamples.Enwiki2023).Concat(RealSamples.Lines(RealSamples.WikidataNewItems2018)).ToList();

    [Fact]
    public void Random_bytes_never_throw() =>
        Gen.Byte.Array[0, 2000].Sample(bytes =>
        {
            var parser = new RecentChangeParser();
            parser.Parse(bytes, out _);
        }, iter: 2000);

    [Fact]
    public void Real_events_with_bytes_flipped_cut_or_spliced_never_throw_and_stay_sane() =>
        Gen.Select(Gen.Int[0, Real.Count - 1], Gen.Int[0, 4000], Gen.Byte, Gen.Int[0, 2]).Sample((index, at, value, how) =>
        {
            var original = Real[index];
            var other = Real[(index + 1) % Real.Count];
            var position = at % Math.Min(original.Length, other.Length);
            byte[] mutated = how switch
            {
                0 => [.. original[..position], value, .. original[(position + 1)..]],
                1 => original[..position],
                _ => [.. original[..position], .. other[position..]],
            };

            var status = new RecentChangeParser().Parse(mutated, out var change);
            if (status == RecentChangeParseStatus.Counted)
            {
                Assert.True(change.EventUnixMs >= 0);
                Assert.True(change.Day >= 0);
            }
        }, iter: 3000);
}
