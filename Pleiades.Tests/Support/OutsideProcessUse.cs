using System.Reflection;
using System.Runtime.CompilerServices;

namespace Pleiades.Tests.Support;

/// <summary>
/// Whether a test class reaches something outside the test process (a child process, a server listening on a port,
/// a connection to one), found by following calls through the IL of the test assembly and of Pleiades' own assemblies
/// from the class's methods and the fixtures xunit creates for it, down to the calls that start or reach such a thing.
/// </summary>
/// <remarks>
/// Calls are followed as written (a virtual call to the method it names, a delegate from where it is created), which is
/// how the tests start what they use: through a helper's static StartAsync, a constructor or a fixture.
/// </remarks>
public static class OutsideProcessUse
{
    private const BindingFlags Declared = BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;

    /// <summary>The calls that leave the process, by declaring type (generic types by their definition's name) and method name.</summary>
    private static readonly (string Type, string Method, string What)[] Boundaries =
    [
        ("System.Diagnostics.Process", "Start", "a child process"),
        ("Microsoft.AspNetCore.Builder.WebApplication", "StartAsync", "Kestrel listening on a port"),
        ("Microsoft.AspNetCore.Builder.WebApplication", "RunAsync", "Kestrel listening on a port"),
        ("Microsoft.AspNetCore.Builder.WebApplication", "Run", "Kestrel listening on a port"),
        ("Aspire.Hosting.DistributedApplication", "StartAsync", "an AppHost run by DCP"),
        ("Aspire.Hosting.DistributedApplication", "RunAsync", "an AppHost run by DCP"),
        ("Garnet.GarnetServer", "Start", "Garnet listening on a port"),
        ("Pleiades.Hosting.Embedded.LibrdkafkaNative", "rd_kafka_mock_cluster_new", "librdkafka's mock cluster"),
        ("Confluent.Kafka.ProducerBuilder`2", "Build", "a Kafka client"),
        ("Confluent.Kafka.ConsumerBuilder`2", "Build", "a Kafka client"),
        ("Confluent.Kafka.AdminClientBuilder", "Build", "a Kafka client"),
        ("StackExchange.Redis.ConnectionMultiplexer", "Connect", "a Redis connection"),
        ("StackExchange.Redis.ConnectionMultiplexer", "ConnectAsync", "a Redis connection"),
        ("StackExchange.Redis.ConnectionMultiplexer", "SentinelConnect", "a Redis connection"),
        ("StackExchange.Redis.ConnectionMultiplexer", "SentinelConnectAsync", "a Redis connection"),
        ("Microsoft.Playwright.Playwright", "CreateAsync", "Chromium through Playwright"),
    ];

    /// <summary>
    /// The chain of calls from <paramref name="testClass"/> (or a fixture of it) to the first call that leaves the
    /// process, ending with what it starts; null when there is none.
    /// </summary>
    public static IReadOnlyList<string>? PathFrom(Type testClass)
    {
        var cameFrom = new Dictionary<MethodBase, MethodBase?>();
        var queue = new Queue<MethodBase>();
        foreach (var root in Roots(testClass))
        {
            if (cameFrom.TryAdd(root, null))
            {
                queue.Enqueue(root);
            }
        }

        while (queue.TryDequeue(out var method))
        {
            foreach (var next in Followed(method))
            {
                if (Boundary(next) is { } what)
                {
                    return [.. Chain(cameFrom, method).Append($"{Name(next)}: {what}")];
                }

                var definition = Definition(next);
                if (IsOurs(definition) && cameFrom.TryAdd(definition, method))
                {
                    queue.Enqueue(definition);
                }
            }
        }

        return null;
    }

    /// <summary>Every method of the class and its base classes, and of each fixture xunit hands it.</summary>
    private static IEnumerable<MethodBase> Roots(Type testClass)
    {
        for (var type = testClass; type is not null && type.Assembly == testClass.Assembly; type = type.BaseType)
        {
            foreach (var method in MethodsOf(type))
            {
                yield return method;
            }
        }

        foreach (var fixture in FixturesOf(testClass))
        {
            for (var type = fixture; type is not null && IsOurs(type.Assembly); type = type.BaseType)
            {
                foreach (var method in MethodsOf(type))
                {
                    yield return method;
                }
            }
        }
    }

    /// <summary>Constructor parameters (class, collection and assembly fixtures alike) and the fixtures of the class's collection.</summary>
    private static IEnumerable<Type> FixturesOf(Type testClass)
    {
        var parameters = testClass.GetConstructors().SelectMany(c => c.GetParameters()).Select(p => p.ParameterType);
        var classFixtures = FixtureArguments(testClass, typeof(IClassFixture<>));
        var collection = testClass.GetCustomAttribute<CollectionAttribute>();
        var definitions = collection switch
        {
            null => [],
            { Type: { } type } => [type],
            _ => testClass.Assembly.GetTypes().Where(t => t.GetCustomAttribute<CollectionDefinitionAttribute>()?.Name == collection.Name),
        };
        var collectionFixtures = definitions.SelectMany(t => FixtureArguments(t, typeof(ICollectionFixture<>)));
        return parameters.Concat(classFixtures).Concat(collectionFixtures).Where(t => IsOurs(t.Assembly)).Distinct();
    }

    private static IEnumerable<Type> FixtureArguments(Type type, Type fixtureInterface) =>
        type.GetInterfaces()
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == fixtureInterface)
            .Select(i => i.GetGenericArguments()[0]);

    private static IEnumerable<MethodBase> MethodsOf(Type type) =>
        type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared));

    /// <summary>What a method refers to, and for an async method or an iterator the state machine that holds its body.</summary>
    private static IEnumerable<MethodBase> Followed(MethodBase method)
    {
        foreach (var reference in MethodReferences.Of(method))
        {
            yield return reference;
        }

        if (method.GetCustomAttribute<StateMachineAttribute>() is { } stateMachine
            && stateMachine.StateMachineType.GetMethod(nameof(IAsyncStateMachine.MoveNext), Declared) is { } moveNext)
        {
            yield return moveNext;
        }

        if (method.DeclaringType?.TypeInitializer is { } typeInitializer)
        {
            yield return typeInitializer;
        }
    }

    private static string? Boundary(MethodBase method)
    {
        if (method.DeclaringType is not { } type)
        {
            return null;
        }

        var typeName = type.IsGenericType ? type.GetGenericTypeDefinition().FullName : type.FullName;
        return Boundaries.FirstOrDefault(b => b.Type == typeName && b.Method == method.Name).What;
    }

    /// <summary>The method as declared (not one of a constructed generic type or a generic method's instance): the one with IL.</summary>
    private static MethodBase Definition(MethodBase method) =>
        method.Module.ResolveMethod(method.MetadataToken) ?? method;

    private static bool IsOurs(MethodBase method) => method.DeclaringType is { } type && IsOurs(type.Assembly);

    private static bool IsOurs(Assembly assembly) =>
        assembly.GetName().Name is { } name && name.StartsWith("Pleiades.", StringComparison.Ordinal);

    private static List<string> Chain(Dictionary<MethodBase, MethodBase?> cameFrom, MethodBase last)
    {
        var chain = new List<string>();
        for (MethodBase? method = last; method is not null; method = cameFrom[method])
        {
            chain.Add(Name(method));
        }

        chain.Reverse();
        return chain;
    }

    private static string Name(MethodBase method) =>
        $"{(method.DeclaringType is { IsGenericType: true } type ? type.GetGenericTypeDefinition() : method.DeclaringType)?.FullName}.{method.Name}";
}
