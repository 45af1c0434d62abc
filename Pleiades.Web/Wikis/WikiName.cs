using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Globalization;

namespace Pleiades.Web.Wikis;

/// <summary>
/// What a wiki's database name (<c>dewiki</c>, <c>frwiktionary</c>, <c>commonswiki</c>) says: its project, its
/// language named in English by .NET's culture data, and its host for links. Wiki names come from events, so
/// anything that is not a plain database name gets no host and is shown as it is.
/// </summary>
public sealed record WikiName(string Id, WikiFamily Family, string LanguageCode, string DisplayName, string? Host)
{
    private static readonly (string Suffix, WikiFamily Family, string Domain)[] Families =
    [
        ("wiktionary", WikiFamily.Wiktionary, "wiktionary.org"),
        ("wikibooks", WikiFamily.Wikibooks, "wikibooks.org"),
        ("wikinews", WikiFamily.Wikinews, "wikinews.org"),
        ("wikiquote", WikiFamily.Wikiquote, "wikiquote.org"),
        ("wikisource", WikiFamily.Wikisource, "wikisource.org"),
        ("wikiversity", WikiFamily.Wikiversity, "wikiversity.org"),
        ("wikivoyage", WikiFamily.Wikivoyage, "wikivoyage.org"),
        ("wiki", WikiFamily.Wikipedia, "wikipedia.org"),
    ];

    // One-of-a-kind wikis whose names end in "wiki" but are no Wikipedia.
    private static readonly FrozenDictionary<string, (string Name, string Host)> SpecialWikis = new Dictionary<string, (string, string)>
    {
        ["commonswiki"] = ("Wikimedia Commons", "commons.wikimedia.org"),
        ["wikidatawiki"] = ("Wikidata", "www.wikidata.org"),
        ["metawiki"] = ("Meta-Wiki", "meta.wikimedia.org"),
        ["specieswiki"] = ("Wikispecies", "species.wikimedia.org"),
        ["mediawikiwiki"] = ("MediaWiki.org", "www.mediawiki.org"),
        ["wikifunctionswiki"] = ("Wikifunctions", "www.wikifunctions.org"),
        ["incubatorwiki"] = ("Wikimedia Incubator", "incubator.wikimedia.org"),
        ["outreachwiki"] = ("Outreach Wiki", "outreach.wikimedia.org"),
        ["foundationwiki"] = ("Wikimedia Foundation", "foundation.wikimedia.org"),
        ["wikimaniawiki"] = ("Wikimania", "wikimania.wikimedia.org"),
        ["sourceswiki"] = ("Multilingual Wikisource", "wikisource.org"),
        ["testwiki"] = ("Test Wikipedia", "test.wikipedia.org"),
        ["test2wiki"] = ("Test2 Wikipedia", "test2.wikipedia.org"),
        ["testwikidatawiki"] = ("Test Wikidata", "test.wikidata.org"),
        ["loginwiki"] = ("Login Wiki", "login.wikimedia.org"),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    // Wikipedia language codes that are not BCP 47 tags .NET can name.
    private static readonly FrozenDictionary<string, string> LanguageOverrides = new Dictionary<string, string>
    {
        ["simple"] = "Simple English",
        ["zh_yue"] = "Cantonese",
        ["zh_min_nan"] = "Min Nan",
        ["zh_classical"] = "Classical Chinese",
        ["be_x_old"] = "Belarusian (Taraškievica)",
        ["bat_smg"] = "Samogitian",
        ["fiu_vro"] = "Võro",
        ["roa_rup"] = "Aromanian",
        ["roa_tara"] = "Tarantino",
        ["map_bms"] = "Banyumasan",
        ["nds_nl"] = "Low Saxon (Netherlands)",
        ["cbk_zam"] = "Chavacano",
        ["als"] = "Alemannic",
        ["no"] = "Norwegian",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public bool IsLanguageEdition => Family is not (WikiFamily.Special or WikiFamily.Unknown);

    /// <summary>The name with its project, e.g. "German Wiktionary"; one-of-a-kind wikis by their own name.</summary>
    public string FullName => IsLanguageEdition ? $"{DisplayName} {Family}" : DisplayName;

    public static WikiName Parse(string id)
    {
        if (SpecialWikis.TryGetValue(id, out var special))
        {
            return new WikiName(id, WikiFamily.Special, "", special.Name, special.Host);
        }

        if (IsDatabaseName(id))
        {
            foreach (var (suffix, family, domain) in Families)
            {
                if (id.Length > suffix.Length && id.EndsWith(suffix, StringComparison.Ordinal))
                {
                    var code = id[..^suffix.Length];
                    return new WikiName(id, family, code, LanguageName(code), $"{code.Replace('_', '-')}.{domain}");
                }
            }
        }

        return new WikiName(id, WikiFamily.Unknown, "", id, null);
    }

    /// <summary>Language names already looked up: the API names every wiki of a day on each request, and a code .NET
    /// does not know costs a thrown exception per lookup, which dominated /wikis on a day of many wikis.</summary>
    private static readonly ConcurrentDictionary<string, string> KnownLanguageNames = new(StringComparer.Ordinal);

    /// <summary>Wiki codes are a few thousand at most; past this many the cache stops growing (names are still right).</summary>
    private const int MaxKnownLanguageNames = 10_000;

    /// <summary>The English name of a Wikipedia language code, or the code itself when .NET does not know it.</summary>
    public static string LanguageName(string code)
    {
        if (LanguageOverrides.TryGetValue(code, out var name))
        {
            return name;
        }

        if (KnownLanguageNames.TryGetValue(code, out var known))
        {
            return known;
        }

        var found = LookUpLanguageName(code);
        if (KnownLanguageNames.Count < MaxKnownLanguageNames)
        {
            KnownLanguageNames.TryAdd(code, found);
        }

        return found;
    }

    private static string LookUpLanguageName(string code)
    {
        try
        {
            var culture = CultureInfo.GetCultureInfo(code.Replace('_', '-'), predefinedOnly: true);
            return culture.EnglishName;
        }
        catch (CultureNotFoundException)
        {
            return code;
        }
    }

    /// <summary>A link to a page (or <c>Special:Contributions/user</c>) on this wiki, or null when the wiki has no known host.</summary>
    public string? PageUrl(string title) =>
        Host is null ? null : $"https://{Host}/wiki/{Uri.EscapeDataString(title.Replace(' ', '_')).Replace("%2F", "/", StringComparison.Ordinal)}";

    public string? ContributionsUrl(string user) => PageUrl("Special:Contributions/" + user);

    private static bool IsDatabaseName(string id) =>
        id.Length is > 0 and <= 64 && id.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_');
}
