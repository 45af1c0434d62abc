using System.Reflection;
using System.Runtime.InteropServices;

namespace Pleiades.Hosting.Embedded;

/// <summary>
/// The few librdkafka functions the mock cluster needs, bound to the very library Confluent.Kafka loaded
/// (on Debian 12 its <c>centos8-librdkafka.so</c> variant): a second copy of librdkafka in the process
/// would not share state with the clients, and the plain name may not resolve at all.
/// </summary>
internal static partial class LibrdkafkaNative
{
    private const string Library = "librdkafka";
    private static readonly Lazy<string> LoadedPath = new(FindLoadedLibrary);

    static LibrdkafkaNative() =>
        NativeLibrary.SetDllImportResolver(typeof(LibrdkafkaNative).Assembly, Resolve);

    /// <summary>Makes sure the library is loaded and bound; throws a clear error when it cannot be found.</summary>
    public static string EnsureLoaded() => LoadedPath.Value;

    [LibraryImport(Library)]
    internal static partial IntPtr rd_kafka_conf_new();

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int rd_kafka_conf_set(IntPtr conf, string name, string value, byte[] errstr, UIntPtr errstrSize);

    [LibraryImport(Library)]
    internal static partial IntPtr rd_kafka_new(int type, IntPtr conf, byte[] errstr, UIntPtr errstrSize);

    [LibraryImport(Library)]
    internal static partial void rd_kafka_destroy(IntPtr rk);

    [LibraryImport(Library)]
    internal static partial IntPtr rd_kafka_mock_cluster_new(IntPtr rk, int brokerCount);

    [LibraryImport(Library)]
    internal static partial void rd_kafka_mock_cluster_destroy(IntPtr mockCluster);

    [LibraryImport(Library)]
    internal static partial IntPtr rd_kafka_mock_cluster_bootstraps(IntPtr mockCluster);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int rd_kafka_mock_topic_create(IntPtr mockCluster, string topic, int partitionCount, int replicationFactor);

    [LibraryImport(Library)]
    internal static partial int rd_kafka_mock_set_controller_id(IntPtr mockCluster, int brokerId);

    [LibraryImport(Library)]
    internal static partial int rd_kafka_mock_broker_set_down(IntPtr mockCluster, int brokerId);

    [LibraryImport(Library)]
    internal static partial int rd_kafka_mock_broker_set_up(IntPtr mockCluster, int brokerId);

    [LibraryImport(Library)]
    internal static partial int rd_kafka_mock_broker_set_rtt(IntPtr mockCluster, int brokerId, int rttMs);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int rd_kafka_mock_partition_set_leader(IntPtr mockCluster, string topic, int partition, int brokerId);

    /// <summary>
    /// Variadic in C (<c>cnt</c> pairs of error and delay follow); bound here for exactly one pair. On Linux x64
    /// and arm64 the six integer arguments travel in registers exactly as for a fixed-argument call.
    /// </summary>
    [LibraryImport(Library)]
    internal static partial int rd_kafka_mock_broker_push_request_error_rtts(IntPtr mockCluster, int brokerId, short apiKey, nuint count, int error, int rttMs);

    [LibraryImport(Library)]
    internal static partial IntPtr rd_kafka_err2str(int error);

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == Library ? NativeLibrary.Load(LoadedPath.Value) : IntPtr.Zero;

    private static string FindLoadedLibrary()
    {
        // Touching the version makes Confluent.Kafka load its native library the way it always does.
        _ = Confluent.Kafka.Library.Version;

        // /proc/self/maps names every mapped file; the one librdkafka Confluent.Kafka chose is among them.
        if (File.Exists("/proc/self/maps"))
        {
            foreach (var line in File.ReadLines("/proc/self/maps"))
            {
                var slash = line.IndexOf('/', StringComparison.Ordinal);
                if (slash >= 0 && line.Contains("librdkafka", StringComparison.Ordinal) && line.EndsWith(".so", StringComparison.Ordinal))
                {
                    return line[slash..];
                }
            }
        }

        throw new InvalidOperationException(
            "Confluent.Kafka's native librdkafka is not mapped into this process, so the embedded Kafka broker cannot start (Linux only).");
    }
}
