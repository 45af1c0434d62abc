using System.Net;
using Garnet;
using Garnet.server;
using Microsoft.Extensions.Logging;
using Tsavorite.core;

namespace Pleiades.Hosting.Embedded;

/// <summary>
/// Creates an in-process Garnet (a Redis-protocol server) configured for what Pleiades needs. Several
/// options differ from Garnet's defaults for reasons checked on this machine (ARCHITECTURE.md).
/// </summary>
public static class GarnetServerFactory
{
    /// <summary>
    /// A server on 127.0.0.1:<paramref name="port"/>; with <paramref name="dataDirectory"/> its data survives a
    /// restart (append-only file committed on every write, recovered at start), without it it is volatile.
    /// Call <see cref="GarnetServer.Start"/> on the result; it throws when the port is taken.
    /// </summary>
    public static GarnetServer Create(int port, string? dataDirectory = null, ILoggerFactory? loggerFactory = null)
    {
        var options = new GarnetServerOptions
        {
            EndPoints = [new IPEndPoint(IPAddress.Loopback, port)],
            // The default native device needs a newer glibc than Debian 12's and fails at the first flush.
            DeviceType = DeviceType.RandomAccess,
            // The counters are applied by Lua scripts, which are atomic only in transaction mode.
            EnableLua = true,
            LuaOptions = new LuaOptions(loggerFactory?.CreateLogger("Garnet.Lua")),
            LuaTransactionMode = true,
            QuietMode = true,
        };

        if (dataDirectory is not null)
        {
            Directory.CreateDirectory(dataDirectory);
            options.EnableAOF = true;
            // Commit every write before answering it: a killed AppHost loses no acknowledged counter.
            options.CommitFrequencyMs = 0;
            options.CheckpointDir = dataDirectory;
            options.Recover = true;
            // A periodic checkpoint lets the append-only file be trimmed instead of growing forever.
            options.CheckpointFrequencySecs = 60;
            options.AofPageSize = "8m";
            options.PageSize = "4m";
            // Every checkpoint writes the whole hash index: Garnet's default (128 MiB) left 128 MiB on disk per start
            // for a few thousand keys. 1 MiB holds 16,384 buckets of 7 keys; Garnet doubles it (up to 64 MiB) when
            // overflow buckets pass IndexResizeThreshold, so a larger data set is still served well. Garnet removes
            // outdated checkpoints itself: the newest one stays, with the newest two index checkpoints.
            options.IndexMemorySize = "1m";
            options.IndexMaxMemorySize = "64m";
        }

        return new GarnetServer(options, loggerFactory);
    }
}
