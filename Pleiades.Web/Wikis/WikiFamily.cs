namespace Pleiades.Web.Wikis;

/// <summary>The Wikimedia project a wiki belongs to; <see cref="Special"/> are one-of-a-kind wikis such as Wikidata and Commons.</summary>
public enum WikiFamily
{
    Wikipedia,
    Wiktionary,
    Wikibooks,
    Wikinews,
    Wikiquote,
    Wikisource,
    Wikiversity,
    Wikivoyage,
    Special,
    Unknown,
}
