using System.Runtime.InteropServices;

namespace Pleiades.Runtime;

/// <summary>
/// Caps glibc's malloc arenas for the process. glibc gives each thread that contends for malloc an arena of its own
/// (up to 8 per core) and keeps the memory freed into each one; librdkafka's threads allocate and free a copy of every
/// message, so the Ingest and the Aggregators held tens of MiB in idle arenas (BENCHMARKS.md). Two arenas are the
/// common setting for such services (the same as <c>MALLOC_ARENA_MAX=2</c>, which still wins when it is set).
/// </summary>
public static partial class MallocArenas
{
    private const int MallocOptionArenaMax = -8; // M_ARENA_MAX in glibc's malloc.h
    private const int DefaultLimit = 2;

    /// <summary>Applies the cap; call it first in <c>Main</c>, before native threads start. False where it does not
    /// apply: off Linux, off glibc, or when <c>MALLOC_ARENA_MAX</c> is set.</summary>
    public static bool Limit()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") is not null)
        {
            return false;
        }

        try
        {
            return mallopt(MallocOptionArenaMax, DefaultLimit) == 1;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            // Not glibc (musl has no arenas to cap).
            return false;
        }
    }

    [LibraryImport("libc")]
    private static partial int mallopt(int param, int value);
}
