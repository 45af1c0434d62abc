using Pleiades.Web.Wikis;

namespace Pleiades.Tests.Performance;

/// <summary>The language names the API looks up for every wiki of a day are remembered; remembering must not change them.</summary>
public sealed class WikiNameLanguageCacheTests
{
    [Fact]
    public void Known_and_unknown_codes_keep_their_names_when_looked_up_again()
    {
        for (var round = 0; round < 3; round++)
        {
            Assert.Equal("German", WikiName.LanguageName("de"));
            Assert.Equal("zz_nolanguage", WikiName.LanguageName("zz_nolanguage"));
            Assert.Equal("German Wikipedia", WikiName.Parse("dewiki").FullName);
            Assert.Equal("zz_nolanguage", WikiName.Parse("zz_nolanguagewiki").DisplayName);
        }
    }
}
