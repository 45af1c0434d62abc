using System.Collections.Frozen;
using System.Globalization;

namespace Pleiades.Web.Wikis;

/// <summary>MediaWiki's canonical namespace names for the numbers events carry.</summary>
public static class NamespaceNames
{
    private static readonly FrozenDictionary<int, string> Names = new Dictionary<int, string>
    {
        [-2] = "Media", [-1] = "Special", [0] = "Main", [1] = "Talk", [2] = "User", [3] = "User talk",
        [4] = "Project", [5] = "Project talk", [6] = "File", [7] = "File talk", [8] = "MediaWiki", [9] = "MediaWiki talk",
        [10] = "Template", [11] = "Template talk", [12] = "Help", [13] = "Help talk", [14] = "Category", [15] = "Category talk",
        [100] = "Portal", [101] = "Portal talk", [118] = "Draft", [119] = "Draft talk", [120] = "Property", [121] = "Property talk",
        [146] = "Lexeme", [147] = "Lexeme talk", [828] = "Module", [829] = "Module talk", [2600] = "Topic",
    }.ToFrozenDictionary();

    public static string Describe(int ns) =>
        Names.TryGetValue(ns, out var name) ? name : "Namespace " + ns.ToString(CultureInfo.InvariantCulture);
}
