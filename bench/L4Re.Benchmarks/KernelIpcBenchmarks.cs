using BenchmarkDotNet.Attributes;
using L4Re.Kernel;
using L4Re.Kernel.Abi;
using L4Re.Kernel.Ipc;
using L4Re.Kernel.Native;
using L4Re.Kernel.Objects;

namespace L4Re.Benchmarks;

/// <summary>
/// IPC call + reply round trips between a client thread and a server thread in two different tasks,
/// through an IPC gate: the synchronous fast path (direct switch into a synchronous server).
/// </summary>
[MemoryDiagnoser]
public class KernelIpcBenchmarks
{
    /// <summary>Round trips per benchmark invocation.</summary>
    public const int RoundTrips = 1000;

    private L4Thread _client = null!;
    private readonly CapSel _gate = CapSel.FromIndex(10);

    private sealed class EchoServer : IIpcServer
    {
        public bool Dispatch(in IpcRequest request, Utcb utcb, out MsgTag reply)
        {
            utcb.Mr[0]++;
            reply = new MsgTag(0, 1, 0, 0);
            return true;
        }
    }

    /// <summary>Builds the two tasks, the server thread and the gate.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var k = new Microkernel(new KernelOptions());
        var f = k.RootFactory;
        var serverTask = f.CreateTask("server");
        var server = f.CreateThread("server");
        server.Bind(serverTask);
        server.Serve(new EchoServer());
        var clientTask = f.CreateTask("client");
        _client = f.CreateThread("client");
        _client.Bind(clientTask);
        _client.Drive();
        clientTask.InsertCapability(10, f.CreateGate(server, 0x10), CapRights.RW);
    }

    /// <summary>1,000 call+reply round trips (divide the time by 1,000 for one).</summary>
    [Benchmark(OperationsPerInvoke = RoundTrips)]
    public ulong CallReplyRoundTrip()
    {
        var tag = new MsgTag(0, 1, 0, 0);
        for (var i = 0; i < RoundTrips; i++)
            _client.Call(_gate, tag);
        return _client.Utcb.Mr[0];
    }
}
