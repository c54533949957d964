using BenchmarkDotNet.Attributes;
using L4Re.Kernel;
using L4Re.Kernel.Abi;
using L4Re.Kernel.Native;
using L4Re.Kernel.Objects;

namespace L4Re.Benchmarks;

/// <summary>
/// IPC call + reply between two native programs (async C#) in two tasks through an IPC gate, scheduled
/// by the kernel: the general IPC path with a direct switch into an async server.
/// </summary>
[MemoryDiagnoser]
public class KernelAsyncIpcBenchmarks
{
    /// <summary>Round trips per benchmark invocation.</summary>
    public const int RoundTrips = 1000;

    private Microkernel _k = null!;
    private L4Semaphore _go = null!;

    /// <summary>A server program and a client program that does 1,000 calls per semaphore "up".</summary>
    [GlobalSetup]
    public void Setup()
    {
        _k = new Microkernel(new KernelOptions());
        var f = _k.RootFactory;
        var serverTask = f.CreateTask("server");
        var server = f.CreateThread("server");
        server.Bind(serverTask);
        server.Start(async ctx =>
        {
            var r = await ctx.Wait();
            while (true)
            {
                ctx.Utcb.Mr[0]++;
                r = await ctx.ReplyAndWait(new MsgTag(0, 1, 0, 0));
            }
        }, priority: 5);
        var clientTask = f.CreateTask("client");
        _go = f.CreateSemaphore();
        clientTask.InsertCapability(10, f.CreateGate(server, 0x10), CapRights.RW);
        clientTask.InsertCapability(11, _go, CapRights.RWS);
        var client = f.CreateThread("client");
        client.Bind(clientTask);
        client.Start(async ctx =>
        {
            var tag = new MsgTag(0, 1, 0, 0);
            while (true)
            {
                await ctx.Call(CapSel.FromIndex(11), L4Sys.SemaphoreDown(ctx.Utcb));
                for (var i = 0; i < RoundTrips; i++)
                    await ctx.Call(CapSel.FromIndex(10), tag);
            }
        }, priority: 3);
        _k.Run();
    }

    /// <summary>1,000 round trips between the two programs (divide by 1,000 for one).</summary>
    [Benchmark(OperationsPerInvoke = RoundTrips)]
    public long AsyncCallReplyRoundTrip()
    {
        _go.Trigger();
        _k.Run();
        return _k.Now;
    }
}
