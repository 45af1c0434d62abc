using System.Text.Json.Nodes;
using Pleiades.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Pleiades.Tests.Deploy;

/// <summary>One object of a rendered overlay: its kind and name, its YAML, and its content as a JSON tree (scalars as strings).</summary>
public sealed record RenderedObject(string ApiVersion, string Kind, string Name, string Yaml, JsonObject Root)
{
    /// <summary>The node at <paramref name="path"/> under the object (null when any step is missing).</summary>
    public JsonNode? Path(params string[] path) => Root.Path(path);

    public override string ToString() => $"{Kind}/{Name}";
}

/// <summary>An overlay of deploy/ rendered as <c>kubectl kustomize deploy/OVERLAY</c> renders it for <c>kubectl apply</c>.</summary>
public sealed class DeployOverlay
{
    public static readonly string[] Overlays = ["kind", "production"];

    private static readonly TimeSpan RenderTimeout = TimeSpan.FromSeconds(60);

    private DeployOverlay(string name, IReadOnlyList<RenderedObject> objects)
    {
        Name = name;
        Objects = objects;
    }

    public string Name { get; }

    public IReadOnlyList<RenderedObject> Objects { get; }

    public static string Directory => System.IO.Path.Combine(RepositoryPaths.RepositoryRoot, "deploy");

    public IEnumerable<RenderedObject> OfKind(string kind) => Objects.Where(o => o.Kind == kind);

    public RenderedObject Get(string kind, string name) =>
        Objects.SingleOrDefault(o => o.Kind == kind && o.Name == name) ?? throw new InvalidOperationException($"{Name} renders no {kind}/{name}");

    public static async Task<DeployOverlay> RenderAsync(string overlay)
    {
        var result = await ProcessRunner.RunAsync("kubectl", ["kustomize", System.IO.Path.Combine(Directory, overlay)], RenderTimeout);
        Assert.True(result.ExitCode == 0, $"kubectl kustomize deploy/{overlay} failed: {result.Error}");
        return new DeployOverlay(overlay, Parse(result.Output));
    }

    /// <summary>The objects of a multi-document YAML stream.</summary>
    public static List<RenderedObject> Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var objects = new List<RenderedObject>();
        foreach (var document in stream.Documents)
        {
            if (ToJson(document.RootNode) is not JsonObject root)
            {
                continue;
            }

            var text = new StringWriter();
            new YamlStream(document).Save(text, assignAnchors: false);
            objects.Add(new RenderedObject(
                root.Path("apiVersion").Text(), root.Path("kind").Text(), root.Path("metadata", "name").Text(), text.ToString(), root));
        }

        return objects;
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(ToJson).ToArray()),
        YamlScalarNode scalar => scalar.Value is null ? null : JsonValue.Create(scalar.Value),
        _ => null,
    };
}

/// <summary>Walking the JSON trees of rendered objects.</summary>
public static class RenderedNodes
{
    public static JsonNode? Path(this JsonNode? node, params string[] path)
    {
        foreach (var step in path)
        {
            node = node is JsonObject o && o.TryGetPropertyValue(step, out var next) ? next : null;
        }

        return node;
    }

    /// <summary>The items of a list (none when it is missing).</summary>
    public static IEnumerable<JsonNode> Items(this JsonNode? node) => node is JsonArray array ? array.OfType<JsonNode>() : [];

    /// <summary>The scalar's text ("" when it is missing).</summary>
    public static string Text(this JsonNode? node) => node is JsonValue value ? value.GetValue<string>() : "";

    public static int Number(this JsonNode? node) => int.Parse(node.Text(), System.Globalization.CultureInfo.InvariantCulture);
}
