using System.Text.Json;
using System.Text.Json.Nodes;
using Pleiades.EventLog;
using Pleiades.Tests.Support;
using ServiceDefaults = Microsoft.Extensions.Hosting.Extensions;

namespace Pleiades.Tests.Deploy;

/// <summary>
/// deploy/ agrees with the code, the AppHost and itself: images and ports with what the SDK would publish, topic
/// names and the consumer group with the services' defaults, partitions with the Aggregators' maximum, connection
/// string names with the AppHost's, probe paths with ServiceDefaults', and every reference between objects resolves.
/// </summary>
[Trait("Category", "Integration")]
public sealed class DeployConsistencyTests
{
    /// <summary>The Kubernetes workload of each service image, by project.</summary>
    private static readonly Dictionary<string, string> Workloads = new()
    {
        ["Pleiades.Ingest"] = "ingest",
        ["Pleiades.Aggregator"] = "aggregator",
        ["Pleiades.Web"] = "web",
        ["Pleiades.Replay"] = "replay",
    };

    public static TheoryData<string> Overlays => [.. DeployOverlay.Overlays];

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Workloads_run_the_published_images_on_their_ports_with_probes_limits_and_no_privileges(string overlay)
    {
        var rendered = await DeployOverlay.RenderAsync(overlay);
        var problems = new List<string>();
        foreach (var (project, name) in Workloads)
        {
            if (rendered.Objects.SingleOrDefault(o => o.Kind == "Deployment" && o.Name == name) is not { } deployment)
            {
                if (name != "replay")
                {
                    problems.Add($"no Deployment/{name}");
                }

                continue;
            }

            var image = await ContainerImage.EvaluateAsync(project);
            var container = deployment.Path("spec", "template", "spec", "containers").Items().Single();
            var reference = container.Path("image").Text();
            var (repository, tag) = (reference[..reference.LastIndexOf(':')], reference[(reference.LastIndexOf(':') + 1)..]);
            Check(problems, repository == image.Repository || repository.EndsWith("/" + image.Repository, StringComparison.Ordinal), $"{name} runs {repository}, the SDK publishes {image.Repository}");
            Check(problems, tag == image.Tag, $"{name} runs tag {tag}, the SDK publishes {image.Tag}");
            var port = container.Path("ports").Items().SingleOrDefault(p => p.Path("name").Text() == "http");
            Check(problems, port is not null && image.Ports.Contains(port.Path("containerPort").Number()), $"{name}'s http port is not the image's {string.Join(",", image.Ports)}");
            Check(problems, deployment.Path("spec", "template", "spec", "securityContext", "runAsUser").Text() == image.User, $"{name} does not run as the image's user {image.User}");
        }

        foreach (var workload in rendered.Objects.Where(o => o.Kind is "Deployment" or "StatefulSet"))
        {
            CheckPod(problems, workload);
            Check(problems, rendered.OfKind("PodDisruptionBudget").Any(pdb => Selects(pdb.Path("spec", "selector", "matchLabels"), workload)), $"no PodDisruptionBudget for {workload}");
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Kafka_topics_partitions_and_the_autoscaler_agree_with_the_services(string overlay)
    {
        var rendered = await DeployOverlay.RenderAsync(overlay);
        var kafka = rendered.OfKind("Kafka").Single();
        var plain = kafka.Path("spec", "kafka", "listeners").Items().Single(l => l.Path("tls").Text() == "false");
        var bootstrap = $"{kafka.Name}-kafka-bootstrap";
        var connections = rendered.Get("ConfigMap", "pleiades-connections");
        Assert.Equal($"{bootstrap}:{plain.Path("port").Text()}", connections.Path("data", "ConnectionStrings__kafka").Text());

        var topics = rendered.OfKind("KafkaTopic").ToDictionary(t => t.Path("spec", "topicName").Text());
        Assert.Contains(EventLogNames.EventsTopic, topics.Keys);
        Assert.Contains(EventLogNames.DeadLetterTopic, topics.Keys);
        var brokers = rendered.OfKind("KafkaNodePool").Where(p => p.Path("spec", "roles").Items().Any(r => r.Text() == "broker")).Sum(p => p.Path("spec", "replicas").Number());
        foreach (var topic in topics.Values.Append(kafka).Concat(rendered.OfKind("KafkaNodePool")).Where(o => o.Kind != "Kafka"))
        {
            Assert.Equal(kafka.Name, topic.Path("metadata", "labels", "strimzi.io/cluster").Text());
        }

        foreach (var topic in topics.Values)
        {
            Assert.InRange(topic.Path("spec", "replicas").Number(), 1, brokers);
            Assert.InRange(topic.Path("spec", "config", "min.insync.replicas").Number(), 1, Math.Max(1, topic.Path("spec", "replicas").Number() - 1));
        }

        var partitions = topics[EventLogNames.EventsTopic].Path("spec", "partitions").Number();
        var ingest = Env(rendered.Get("Deployment", "ingest"));
        Assert.Equal(partitions.ToString(System.Globalization.CultureInfo.InvariantCulture), ingest["Ingest__KafkaPartitions"]);

        var scaler = rendered.OfKind("ScaledObject").Single();
        Assert.Equal("aggregator", scaler.Path("spec", "scaleTargetRef", "name").Text());
        Assert.NotNull(rendered.Get("Deployment", "aggregator"));
        Assert.InRange(scaler.Path("spec", "maxReplicaCount").Number(), scaler.Path("spec", "minReplicaCount").Number(), partitions);
        var trigger = scaler.Path("spec", "triggers").Items().Single(t => t.Path("type").Text() == "kafka").Path("metadata");
        Assert.Equal(EventLogNames.EventsTopic, trigger.Path("topic").Text());
        Assert.Equal(EventLogNames.ConsumerGroup, trigger.Path("consumerGroup").Text());
        Assert.Equal($"{bootstrap}.{scaler.Path("metadata", "namespace").Text()}.svc:{plain.Path("port").Text()}", trigger.Path("bootstrapServers").Text());
        Assert.Equal("false", trigger.Path("allowIdleConsumers").Text());

        // Only the services that use Kafka (and KEDA's operator) may reach its listener.
        var peers = plain.Path("networkPolicyPeers").Items().Select(p => p.Path("podSelector", "matchLabels", "app.kubernetes.io/name").Text()).Where(n => n.Length > 0);
        Assert.Equal(["aggregator", "ingest"], peers.Order());
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Connection_strings_and_settings_have_the_apphosts_names_and_resolve_in_the_cluster(string overlay)
    {
        var rendered = await DeployOverlay.RenderAsync(overlay);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.RepositoryRoot, "aspire-manifest.json")));
        var resources = manifest.RootElement.GetProperty("resources");
        foreach (var service in (string[])["ingest", "aggregator", "web"])
        {
            var fromAppHost = resources.GetProperty(service).GetProperty("env").EnumerateObject().Select(p => p.Name)
                .Where(n => n.StartsWith("ConnectionStrings__", StringComparison.Ordinal)).Order().ToList();
            var env = Env(rendered.Get("Deployment", service), rendered);
            Assert.Equal(fromAppHost, env.Keys.Where(n => n.StartsWith("ConnectionStrings__", StringComparison.Ordinal)).Order().ToList());
        }

        Assert.Contains("Ingest__StreamUrl", Env(rendered.Get("Deployment", "ingest")).Keys);
        Assert.True(resources.GetProperty("ingest").GetProperty("env").TryGetProperty("Ingest__StreamUrl", out _), "the AppHost sets Ingest__StreamUrl");

        // Redis: the address names the Service and its port; every workload's password comes from the same Secret.
        var address = rendered.Get("ConfigMap", "pleiades-connections").Path("data", "redis-address").Text().Split(':');
        var redis = rendered.Get("Service", address[0]);
        Assert.Contains(redis.Path("spec", "ports").Items(), p => p.Path("port").Text() == address[1]);
        var secretNames = rendered.Objects.Where(o => o.Kind is "Deployment" or "StatefulSet")
            .SelectMany(o => o.Path("spec", "template", "spec", "containers").Items())
            .SelectMany(c => c.Path("env").Items())
            .Select(e => e.Path("valueFrom", "secretKeyRef", "name").Text())
            .Where(n => n.Length > 0)
            .ToHashSet();
        var secret = Assert.Single(secretNames);
        if (rendered.OfKind("Secret").Any())
        {
            Assert.Contains(rendered.OfKind("Secret"), s => s.Name == secret && s.Path("data", "password") is not null);
        }
        else
        {
            Assert.Equal("redis-password", secret); // Created by hand in production, under the name deploy/README.md gives.
        }

        var statefulSet = rendered.Get("StatefulSet", "redis");
        var args = string.Join(' ', statefulSet.Path("spec", "template", "spec", "containers").Items().Single().Path("args").Items().Select(a => a.Text()));
        Assert.Contains("--appendonly yes", args, StringComparison.Ordinal);
        Assert.NotEmpty(statefulSet.Path("spec", "volumeClaimTemplates").Items());

        // The Ingest: one instance, replaced by Recreate, its state on a claim.
        var ingest = rendered.Get("Deployment", "ingest");
        Assert.Equal("1", ingest.Path("spec", "replicas").Text());
        Assert.Equal("Recreate", ingest.Path("spec", "strategy", "type").Text());
        var state = Env(ingest)["Ingest__StateDirectory"];
        var mount = ingest.Path("spec", "template", "spec", "containers").Items().Single().Path("volumeMounts").Items()
            .Single(m => state.StartsWith(m.Path("mountPath").Text() + "/", StringComparison.Ordinal));
        var volume = ingest.Path("spec", "template", "spec", "volumes").Items().Single(v => v.Path("name").Text() == mount.Path("name").Text());
        Assert.NotNull(rendered.Get("PersistentVolumeClaim", volume.Path("persistentVolumeClaim", "claimName").Text()));

        // A replayed capture is one the Replay image carries (data/samples).
        if (rendered.Objects.SingleOrDefault(o => o.Kind == "Deployment" && o.Name == "replay") is { } replay)
        {
            var replayArgs = replay.Path("spec", "template", "spec", "containers").Items().Single().Path("args").Items().Select(a => a.Text()).ToList();
            var capture = replayArgs[replayArgs.IndexOf("--capture") + 1];
            Assert.True(File.Exists(Path.Combine(RepositoryPaths.Data, capture)), $"the replay serves {capture}, which is not in data/");
            Assert.Equal($"http://replay:{rendered.Get("Service", "replay").Path("spec", "ports").Items().Single().Path("port").Text()}/v2/stream/recentchange", Env(ingest)["Ingest__StreamUrl"]);
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Services_ingress_and_monitors_point_at_ports_that_exist(string overlay)
    {
        var rendered = await DeployOverlay.RenderAsync(overlay);
        var workloads = rendered.Objects.Where(o => o.Kind is "Deployment" or "StatefulSet").ToList();
        foreach (var service in rendered.OfKind("Service"))
        {
            var workload = workloads.SingleOrDefault(w => Selects(service.Path("spec", "selector"), w));
            Assert.True(workload is not null, $"{service} selects no workload");
            var ports = workload.Path("spec", "template", "spec", "containers").Items().SelectMany(c => c.Path("ports").Items()).Select(p => p.Path("name").Text()).ToHashSet();
            Assert.All(service.Path("spec", "ports").Items(), p => Assert.Contains(p.Path("targetPort").Text(), ports));
        }

        foreach (var monitor in rendered.OfKind("ServiceMonitor"))
        {
            var service = rendered.OfKind("Service").Single(s => Selects(monitor.Path("spec", "selector", "matchLabels"), s.Path("metadata", "labels")));
            Assert.All(monitor.Path("spec", "endpoints").Items(), e =>
            {
                Assert.Contains(service.Path("spec", "ports").Items(), p => p.Path("name").Text() == e.Path("port").Text());
                Assert.Equal("/metrics", e.Path("path").Text());
            });
        }

        var backend = rendered.OfKind("Ingress").Single().Path("spec", "rules").Items().Single().Path("http", "paths").Items().Single().Path("backend", "service");
        var web = rendered.Get("Service", backend.Path("name").Text());
        Assert.Contains(web.Path("spec", "ports").Items(), p => p.Path("name").Text() == backend.Path("port", "name").Text());
        Assert.Equal("web", web.Name);
    }

    private static void CheckPod(List<string> problems, RenderedObject workload)
    {
        var pod = workload.Path("spec", "template", "spec");
        Check(problems, pod.Path("securityContext", "runAsNonRoot").Text() == "true", $"{workload} may run as root");
        foreach (var container in pod.Path("containers").Items())
        {
            var security = container.Path("securityContext");
            Check(problems, security.Path("allowPrivilegeEscalation").Text() == "false", $"{workload} allows privilege escalation");
            Check(problems, security.Path("readOnlyRootFilesystem").Text() == "true", $"{workload}'s root filesystem is writable");
            Check(problems, security.Path("capabilities", "drop").Items().Any(c => c.Text() == "ALL"), $"{workload} keeps capabilities");
            foreach (var resource in (string[])["requests/cpu", "requests/memory", "limits/memory"])
            {
                Check(problems, container.Path(["resources", .. resource.Split('/')]) is not null, $"{workload} has no {resource}");
            }

            Check(problems, container.Path("readinessProbe") is not null && container.Path("livenessProbe") is not null, $"{workload} has no readiness or liveness probe");
            if (container.Path("ports").Items().Any(p => p.Path("name").Text() == "http"))
            {
                // The .NET services: health as ServiceDefaults maps it.
                Check(problems, container.Path("readinessProbe", "httpGet", "path").Text() == ServiceDefaults.HealthEndpointPath, $"{workload}'s readiness is not {ServiceDefaults.HealthEndpointPath}");
                Check(problems, container.Path("livenessProbe", "httpGet", "path").Text() == ServiceDefaults.AlivenessEndpointPath, $"{workload}'s liveness is not {ServiceDefaults.AlivenessEndpointPath}");
                Check(problems, container.Path("startupProbe", "httpGet", "path").Text() == ServiceDefaults.AlivenessEndpointPath, $"{workload}'s startup probe is not {ServiceDefaults.AlivenessEndpointPath}");
            }
        }
    }

    /// <summary>The container's environment, with the keys of the ConfigMaps it takes whole (<c>envFrom</c>) when <paramref name="rendered"/> is given.</summary>
    private static Dictionary<string, string> Env(RenderedObject workload, DeployOverlay? rendered = null)
    {
        var container = workload.Path("spec", "template", "spec", "containers").Items().Single();
        var env = container.Path("env").Items().ToDictionary(e => e.Path("name").Text(), e => e.Path("value").Text());
        foreach (var source in container.Path("envFrom").Items())
        {
            var configMap = rendered?.Get("ConfigMap", source.Path("configMapRef", "name").Text());
            foreach (var (key, value) in configMap?.Path("data") as JsonObject ?? [])
            {
                env.TryAdd(key, value.Text());
            }
        }

        return env;
    }

    private static bool Selects(JsonNode? selector, RenderedObject workload) => Selects(selector, workload.Path("spec", "template", "metadata", "labels"));

    private static bool Selects(JsonNode? selector, JsonNode? labels) =>
        selector is JsonObject { Count: > 0 } match && match.All(pair => labels.Path(pair.Key).Text() == pair.Value.Text());

    private static void Check(List<string> problems, bool ok, string problem)
    {
        if (!ok)
        {
            problems.Add(problem);
        }
    }
}
