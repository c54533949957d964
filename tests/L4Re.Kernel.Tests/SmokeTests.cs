using L4Re.Kernel.Abi;
using L4Re.Kernel.Objects;

namespace L4Re.Kernel.Tests;

public class SmokeTests
{
    [Test]
    public void Call_through_a_gate_reaches_a_sync_server_and_returns_its_reply()
    {
        var f = new Fixture();
        var server = new IncrementServer();
        var (_, st) = f.ServerTask("server", server);
        var (client, ct) = f.HostTask("client");
        var gate = f.Root.CreateGate(st, 0x40);
        client.InsertCapability(10, gate, CapRights.RW);
        ct.Utcb.Mr[0] = 41;
        var r = ct.Call(CapSel.FromIndex(10), new MsgTag(0, 1, 0, 0));
        Assert.That(r.HasError, Is.False, r.ToString());
        Assert.That(ct.Utcb.Mr[0], Is.EqualTo(42UL));
        Assert.That(ct.Utcb.Mr[1], Is.EqualTo(0x41UL), "gate label | W right");
        Assert.That(server.Calls, Is.EqualTo(1));
    }
}

public class FastPathTests
{
    private static (ulong[] Results, long Now, long ClientNs, long ServerNs, ThreadRunState ServerState, int Calls) Run(bool trace)
    {
        var f = new Fixture(new KernelOptions { Trace = trace });
        var server = new IncrementServer();
        var (_, st) = f.ServerTask("server", server);
        var (client, ct) = f.HostTask("client");
        client.InsertCapability(10, f.Root.CreateGate(st, 0x40), CapRights.RWS);
        client.InsertCapability(11, st, CapRights.RW);
        f.Kernel.Run();
        var results = new List<ulong>();
        for (var i = 0; i < 50; i++)
        {
            ct.Utcb.Mr[0] = (ulong)i;
            var r = ct.Call(CapSel.FromIndex(i % 3 == 0 ? 11UL : 10UL), new MsgTag(0, 1, 0, 0));
            results.Add(r.HasError ? ulong.MaxValue : ct.Utcb.Mr[0]);
            results.Add(ct.Utcb.Mr[1]);
            results.Add(r.Tag.Raw);
        }
        return (results.ToArray(), f.Kernel.Now, ct.ConsumedNs, st.ConsumedNs, st.State, server.Calls);
    }

    [Test]
    public void Fast_path_gives_the_same_results_and_time_as_the_general_path()
    {
        var general = Run(trace: true); // tracing disables the fast path
        var fast = Run(trace: false);
        Assert.That(fast.Results, Is.EqualTo(general.Results));
        Assert.That(fast.Now, Is.EqualTo(general.Now));
        Assert.That(fast.ClientNs, Is.EqualTo(general.ClientNs));
        Assert.That(fast.ServerNs, Is.EqualTo(general.ServerNs));
        Assert.That(fast.ServerState, Is.EqualTo(general.ServerState));
        Assert.That(fast.Calls, Is.EqualTo(50));
    }

    private sealed class ThrowingServer : Native.IIpcServer
    {
        public bool Dispatch(in Native.IpcRequest request, Ipc.Utcb utcb, out MsgTag reply) => throw new InvalidOperationException("handler bug");
    }

    [Test]
    public void Throwing_server_handler_stops_the_server_and_the_caller_keeps_waiting()
    {
        var f = new Fixture();
        var (_, st) = f.ServerTask("server", new ThrowingServer());
        var (client, ct) = f.HostTask("client");
        client.InsertCapability(10, f.Root.CreateGate(st, 0x40), CapRights.RW);
        f.Kernel.Run();
        var r = ct.Call(CapSel.FromIndex(10), new MsgTag(0, 1, 0, 0), new TimeoutPair(L4Timeout.Never, L4Timeout.Relative(10, 0)));
        Assert.That(st.IsDead, Is.True);
        Assert.That(st.StopReason, Does.Contain("handler bug"));
        Assert.That(r.ErrorCode, Is.EqualTo(IpcErrorCode.ReTimeout));
    }
}
