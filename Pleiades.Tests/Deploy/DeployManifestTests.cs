using System.Reflection;
using k8s;
using k8s.Models;

namespace Pleiades.Tests.Deploy;

/// <summary>
/// deploy/'s overlays as <c>kubectl kustomize</c> renders them: every core object reads strictly into the Kubernetes
/// API's own models (KubernetesClient; a field the API does not define fails), and every custom resource uses an API
/// version its operator serves (the operators' CRDs, deploy/crds).
/// </summary>
[Trait("Category", "Integration")]
public sealed class DeployManifestTests
{
    public static TheoryData<string> Overlays => [.. DeployOverlay.Overlays];

    /// <summary>The KubernetesClient model of every core kind, by apiVersion and kind.</summary>
    private static readonly Dictionary<(string ApiVersion, string Kind), Type> CoreModels = typeof(V1Deployment).Assembly.GetTypes()
        .Select(type => (type, entity: type.GetCustomAttribute<KubernetesEntityAttribute>()))
        .Where(t => t.entity is not null && t.type.Namespace == "k8s.Models")
        .GroupBy(t => (ApiVersion: string.IsNullOrEmpty(t.entity!.Group) ? t.entity.ApiVersion : $"{t.entity.Group}/{t.entity.ApiVersion}", t.entity.Kind))
        .ToDictionary(g => g.Key, g => g.First().type);

    private static readonly MethodInfo StrictDeserialize = typeof(KubernetesYaml).GetMethods()
        .Single(m => m.Name == nameof(KubernetesYaml.Deserialize) && m.IsGenericMethodDefinition && m.GetParameters() is [{ ParameterType: var p }, _] && p == typeof(string));

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Every_core_object_reads_strictly_into_the_kubernetes_models(string overlay)
    {
        var rendered = await DeployOverlay.RenderAsync(overlay);
        var core = rendered.Objects.Where(o => CoreModels.ContainsKey((o.ApiVersion, o.Kind))).ToList();
        Assert.True(core.Count >= 15, $"{overlay} renders {core.Count} core objects");
        foreach (var item in core)
        {
            var model = CoreModels[(item.ApiVersion, item.Kind)];
            var read = Read(model, item.Yaml);
            Assert.True(read is IKubernetesObject<V1ObjectMeta> { Metadata.Name: var name } && name == item.Name, $"{item} read back as {read}");
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"{overlay}: " + string.Join(", ", rendered.Objects.GroupBy(o => o.Kind).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} x{g.Count()}")));
    }

    [Fact]
    public void Strict_reading_refuses_a_field_the_api_does_not_define()
    {
        const string Deployment = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              replica: 2
            """;
        var error = Assert.ThrowsAny<Exception>(() => Read(typeof(V1Deployment), Deployment));
        Assert.Contains("replica", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Every_custom_resource_uses_an_api_version_its_operator_serves(string overlay)
    {
        var served = ServedVersions();
        var rendered = await DeployOverlay.RenderAsync(overlay);
        var custom = rendered.Objects.Where(o => !CoreModels.ContainsKey((o.ApiVersion, o.Kind))).ToList();
        Assert.Contains(custom, o => o.Kind == "Kafka");
        foreach (var item in custom)
        {
            var group = item.ApiVersion.Split('/')[0];
            var version = item.ApiVersion.Split('/')[1];
            Assert.True(served.TryGetValue((group, item.Kind), out var versions), $"{item} ({item.ApiVersion}) is neither a core kind nor defined by a CRD in deploy/crds");
            Assert.True(versions.Contains(version), $"{item} uses {item.ApiVersion}; its CRD serves {string.Join(", ", versions)}");
        }
    }

    private static object Read(Type model, string yaml)
    {
        try
        {
            return StrictDeserialize.MakeGenericMethod(model).Invoke(null, [yaml, true])!;
        }
        catch (TargetInvocationException e)
        {
            throw e.InnerException!;
        }
    }

    /// <summary>The versions each CRD of deploy/crds serves, by group and kind.</summary>
    private static Dictionary<(string Group, string Kind), HashSet<string>> ServedVersions()
    {
        var served = new Dictionary<(string, string), HashSet<string>>();
        foreach (var file in Directory.GetFiles(Path.Combine(DeployOverlay.Directory, "crds"), "*.yaml"))
        {
            foreach (var crd in DeployOverlay.Parse(File.ReadAllText(file)).Where(o => o.Kind == "CustomResourceDefinition"))
            {
                var versions = crd.Path("spec", "versions").Items().Where(v => v.Path("served").Text() == "true").Select(v => v.Path("name").Text());
                served[(crd.Path("spec", "group").Text(), crd.Path("spec", "names", "kind").Text())] = [.. versions];
            }
        }

        return served;
    }
}
