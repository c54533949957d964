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

public class FastPathFallbackTests
{
    private sealed class SilentServer : Native.IIpcServer
    {
        public int Calls;

        public bool Dispatch(in Native.IpcRequest request, Ipc.Utcb utcb, out MsgTag reply)
        {
            Calls++;
            reply = default;
            return false; // no reply: the caller stays blocked in its receive
        }
    }

    [Test]
    public void Async_caller_left_waiting_by_a_silent_server_can_be_canceled()
    {
        var f = new Fixture(new KernelOptions()); // no trace: the call takes the fast path
        var server = new SilentServer();
        var (_, st) = f.ServerTask("server", server, priority: 5);
        IpcErrorCode seen = IpcErrorCode.None;
        var (ct, client) = f.ProgramTask("client", async ctx =>
        {
            var r = await ctx.Call(CapSel.FromIndex(10), new MsgTag(0, 1, 0, 0));
            seen = r.ErrorCode;
        }, priority: 3);
        ct.InsertCapability(10, f.Root.CreateGate(st, 0x40), CapRights.RW);
        f.Kernel.Run();
        Assert.That(server.Calls, Is.EqualTo(1));
        Assert.That(client.State, Is.EqualTo(ThreadRunState.Blocked));
        client.Cancel();
        f.Kernel.Run();
        Assert.That(seen, Is.EqualTo(IpcErrorCode.ReCanceled));
        Assert.That(client.StopReason, Is.EqualTo("program ended"));
    }
}

public class FastPathEquivalenceTests
{
    private sealed class MoodyServer : Native.IIpcServer
    {
        public readonly List<ulong> Seen = [];

        public bool Dispatch(in Native.IpcRequest request, Ipc.Utcb utcb, out MsgTag reply)
        {
            Seen.Add(utcb.Mr[0] ^ request.Label);
            var words = (uint)(utcb.Mr[0] % 5);
            for (var i = 0; i < (int)words; i++)
                utcb.Mr[i] = utcb.Mr[i] * 3 + (ulong)i;
            reply = new MsgTag((long)(utcb.Mr[0] % 7) - 3, words, 0, 0);
            return utcb.Mr[0] % 11 != 0; // sometimes no reply
        }
    }

    private static string Run(int seed, bool trace)
    {
        var rng = new Random(seed);
        var f = new Fixture(new KernelOptions { Trace = trace, SyscallCostNs = 70 });
        var server = new MoodyServer();
        var (_, st) = f.ServerTask("server", server, priority: 4);
        var clients = new List<Objects.L4Thread>();
        for (var i = 0; i < 3; i++)
        {
            var (task, t) = f.HostTask($"c{i}", priority: 2 + i);
            task.InsertCapability(10, f.Root.CreateGate(st, (ulong)(i + 1) << 8), i == 0 ? CapRights.RWS : CapRights.RW);
            task.InsertCapability(11, st, CapRights.RW);
            clients.Add(t);
        }
        f.Kernel.Run();
        var log = new System.Text.StringBuilder();
        for (var step = 0; step < 400; step++)
        {
            var c = clients[rng.Next(clients.Count)];
            if (!c.SysDone)
            {
                c.Cancel();
                log.Append(c.LastResult).Append(';');
                continue;
            }
            var words = (uint)rng.Next(0, 6);
            for (var i = 0; i < 6; i++)
                c.Utcb.Mr[i] = (ulong)rng.NextInt64();
            var r = c.Ipc(CapSel.FromIndex(rng.Next(2) == 0 ? 10UL : 11UL).WithFlags(SyscallFlags.Call), new MsgTag(rng.Next(-3, 3), words, 0, 0), default, (ulong)rng.Next(100));
            log.Append(r).Append(' ').Append(c.Utcb.Mr[0]).Append(' ').Append(c.Utcb.Mr[1]).Append(';');
        }
        log.Append(f.Kernel.Now).Append(' ').Append(st.ConsumedNs).Append(' ').Append(string.Join(',', server.Seen));
        foreach (var c in clients)
            log.Append(' ').Append(c.ConsumedNs).Append(c.State);
        return log.ToString();
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void Random_call_sequences_give_the_same_history_with_and_without_the_fast_path(int seed) =>
        Assert.That(Run(seed, trace: false), Is.EqualTo(Run(seed, trace: true)));
}
