using L4Re.Kernel.Abi;
using L4Re.Kernel.Ipc;
using L4Re.Kernel.Native;
using L4Re.Kernel.Objects;

namespace L4Re.Kernel.Tests;

/// <summary>
/// The ICU's host calls, and system calls a synchronous server makes from inside its dispatch (as an L4Re server
/// invokes kernel objects while it handles a request).
/// </summary>
public class ServerSyscallTests
{
    [Test]
    public void Icu_host_calls_do_what_the_protocol_does()
    {
        var f = new Fixture();
        var (_, at) = f.HostTask("io");
        var icu = f.Kernel.Icu;
        var irq = f.Root.CreateIrq();
        irq.Bind(at, 7);
        Assert.That(icu.SetMode(5, IrqMode.LevelHigh), Is.EqualTo(L4Error.Ok));
        Assert.That(icu.IsLevelTriggered(5), Is.True);
        Assert.That(icu.SetMode(5, IrqMode.Negative), Is.EqualTo(L4Error.Ok), "without the set bit nothing changes");
        Assert.That(icu.IsLevelTriggered(5), Is.True);
        Assert.That(icu.SetMode((uint)icu.PinCount, IrqMode.LevelHigh), Is.EqualTo(L4Error.Inval));
        Assert.That(icu.Bind(5, irq), Is.EqualTo(L4Error.Ok));
        Assert.That(irq.IsLevelTriggered, Is.True, "the IRQ takes the pin's mode");
        icu.Mask(5);
        Assert.That(irq.IsMasked, Is.True);
        icu.SetLine(5, true);
        Assert.That(at.QueuedSenders, Is.Zero, "masked");
        icu.Unmask(5);
        Assert.That(at.Wait(TimeoutPair.ReceiveZero).Label, Is.EqualTo(7UL), "the asserted level is delivered at unmask");
        icu.SetLine(5, false);
        Assert.That(icu.SetMode(5, IrqMode.PositiveEdge), Is.EqualTo(L4Error.Ok));
        Assert.That(irq.IsLevelTriggered, Is.False, "the bound IRQ switches with the pin");

        var other = f.Root.CreateIrq();
        Assert.That(icu.Unbind(5, other), Is.False, "not bound there");
        Assert.That(icu.BoundTo(5), Is.SameAs(irq));
        Assert.That(icu.Unbind(5, irq), Is.True);
        Assert.That((icu.BoundTo(5), irq.Chip), Is.EqualTo((null as IrqBase, null as Icu)));
        Assert.That(icu.Unbind(5), Is.False, "nothing bound");
        icu.Bind(6, other);
        Assert.That(icu.Unbind(6), Is.True, "whatever is bound, as Fiasco's op_icu_unbind");
        Assert.That(icu.Unbind(uint.MaxValue), Is.False);
        icu.Mask(uint.MaxValue);
        icu.Unmask(6);
    }

    /// <summary>A server that, per request, runs a script of system calls on its own thread and reports the results.</summary>
    private sealed class ScriptedServer(Func<L4Thread, ulong[]> script) : IIpcServer
    {
        public bool Dispatch(in IpcRequest request, Utcb utcb, out MsgTag reply)
        {
            var input = utcb.Mr[0];
            var results = script(request.Server);
            utcb.Mr[0] = input + 1;
            for (var i = 0; i < results.Length; i++)
                utcb.Mr[i + 1] = results[i];
            reply = new MsgTag(0, (uint)results.Length + 1, 0, 0);
            return true;
        }
    }

    [TestCase(false, TestName = "A_server_invokes_kernel_objects_and_other_servers_from_its_dispatch(fast path)")]
    [TestCase(true, TestName = "A_server_invokes_kernel_objects_and_other_servers_from_its_dispatch(general path, traced)")]
    public void A_server_invokes_kernel_objects_and_other_servers_from_its_dispatch(bool trace)
    {
        var f = new Fixture(new KernelOptions { Trace = trace });
        var backend = new IncrementServer();
        var (_, bt) = f.ServerTask("backend", backend);
        var (client, ct) = f.HostTask("client");
        var irq = f.Root.CreateIrq();
        irq.Bind(ct, 0x44);
        var sem = f.Root.CreateSemaphore();
        ScriptedServer server = new(t =>
        {
            var icu = CapSel.FromIndex(6);
            var bind = t.Call(icu, L4Sys.IcuBind(t.Utcb, 12, CapSel.FromIndex(20)));
            var mode = t.Call(icu, L4Sys.IcuSetMode(t.Utcb, 12, IrqMode.LevelHigh));
            var mask = t.Send(icu, L4Sys.IcuMask(t.Utcb, 12, mask: true));
            t.Utcb.Mr[0] = 41;
            var nested = t.Call(CapSel.FromIndex(30), new MsgTag(0, 1, 0, 0));
            var answer = t.Utcb.Mr[0];
            var up = t.Send(CapSel.FromIndex(31), L4Sys.IrqTrigger());
            return [(ulong)bind.Tag.ResultError, (ulong)mode.Tag.ResultError, mask.HasError ? 1UL : 0, answer, up.HasError ? 1UL : 0];
        });
        var (st, sth) = f.ServerTask("server", server);
        st.InsertCapability(6, f.Kernel.Icu, CapRights.RWS);
        st.InsertCapability(20, irq, CapRights.RWS);
        st.InsertCapability(30, f.Root.CreateGate(bt, 0x70), CapRights.RW);
        st.InsertCapability(31, sem, CapRights.RW);
        client.InsertCapability(10, f.Root.CreateGate(sth, 0x50), CapRights.RW);

        ct.Utcb.Mr[0] = 1;
        var r = ct.Call(CapSel.FromIndex(10), new MsgTag(0, 1, 0, 0));
        Assert.That(r.HasError, Is.False);
        Assert.That(ct.Utcb.Mr[0], Is.EqualTo(2UL), "the reply to the client is the server's");
        Assert.That(ct.Utcb.Mr[1..6].ToArray(), Is.EqualTo(new ulong[] { 0, 0, 0, 42, 0 }), "bind, set_mode, mask, the nested call's answer, up");
        Assert.That(f.Kernel.Icu.BoundTo(12), Is.SameAs(irq));
        Assert.That((irq.IsLevelTriggered, irq.IsMasked), Is.EqualTo((true, true)));
        Assert.That((backend.Calls, sem.Count), Is.EqualTo((1, 1UL)));
        Assert.That(sth.State, Is.EqualTo(ThreadRunState.Blocked), "the server waits for the next request");
        Assert.That(f.Kernel.HasReadyThreads, Is.False);

        // The server serves again: a second bind of the pin fails inside the kernel object, the rest works.
        ct.Utcb.Mr[0] = 5;
        Assert.That(ct.Call(CapSel.FromIndex(10), new MsgTag(0, 1, 0, 0)).HasError, Is.False);
        Assert.That(ct.Utcb.Mr[0..6].ToArray(), Is.EqualTo(new ulong[] { 6, 0, 0, 0, 42, 0 }), "rebinding the same IRQ is fine (Fiasco detaches first)");
        Assert.That(backend.Calls, Is.EqualTo(2));
    }

    [Test]
    public void An_operation_that_would_block_a_dispatch_is_canceled()
    {
        var f = new Fixture();
        var (_, busy) = f.HostTask("busy"); // host-driven, never waiting: a send to it would block
        var sem = f.Root.CreateSemaphore();
        IpcResult send = default, down = default, wait = default;
        ScriptedServer server = new(t =>
        {
            send = t.Call(CapSel.FromIndex(40), new MsgTag(0, 0, 0, 0));
            down = t.Call(CapSel.FromIndex(41), L4Sys.SemaphoreDown(t.Utcb));
            wait = t.Wait();
            return [];
        });
        var (st, sth) = f.ServerTask("server", server);
        st.InsertCapability(40, busy, CapRights.RW);
        st.InsertCapability(41, sem, CapRights.RWS);
        var (client, ct) = f.HostTask("client");
        client.InsertCapability(10, f.Root.CreateGate(sth, 0x50), CapRights.RW);
        ct.Utcb.Mr[0] = 9;
        var r = ct.Call(CapSel.FromIndex(10), new MsgTag(0, 1, 0, 0));
        Assert.That((r.HasError, ct.Utcb.Mr[0]), Is.EqualTo((false, 10UL)), "the dispatch finished and replied");
        Assert.That(send.ErrorCode, Is.EqualTo(IpcErrorCode.SeCanceled));
        Assert.That(down.ErrorCode, Is.EqualTo(IpcErrorCode.ReCanceled));
        Assert.That(wait.ErrorCode, Is.EqualTo(IpcErrorCode.ReCanceled));
        Assert.That(busy.QueuedSenders, Is.Zero, "the canceled sender left the queue");
        Assert.That(sem.Waiting.IsEmpty, Is.True);
        Assert.That(f.Kernel.HasReadyThreads, Is.False);
        Assert.That(ct.Call(CapSel.FromIndex(10), new MsgTag(0, 1, 0, 0)).HasError, Is.False, "and it serves on");

        // Outside a dispatch a server thread makes no system calls.
        Assert.Throws<InvalidOperationException>(() => sth.Call(CapSel.FromIndex(41), L4Sys.SemaphoreDown(sth.Utcb)));
    }

    [Test]
    public void A_canceled_operation_with_a_finite_timeout_leaves_no_timer_behind()
    {
        var f = new Fixture();
        var (_, busy) = f.HostTask("busy");
        var sem = f.Root.CreateSemaphore();
        var timeout = new TimeoutPair(L4Timeout.FromMicroseconds(50), L4Timeout.FromMicroseconds(50));
        var results = new List<IpcErrorCode>();
        ScriptedServer server = new(t =>
        {
            results.Add(t.Call(CapSel.FromIndex(40), new MsgTag(0, 0, 0, 0), timeout).ErrorCode);
            results.Add(t.Call(CapSel.FromIndex(41), L4Sys.SemaphoreDown(t.Utcb), timeout).ErrorCode);
            return [];
        });
        var (st, sth) = f.ServerTask("server", server);
        st.InsertCapability(40, busy, CapRights.RW);
        st.InsertCapability(41, sem, CapRights.RWS);
        var (client, ct) = f.HostTask("client");
        client.InsertCapability(10, f.Root.CreateGate(sth, 0x50), CapRights.RW);
        Assert.That(ct.Call(CapSel.FromIndex(10), new MsgTag(0, 1, 0, 0)).HasError, Is.False);
        Assert.That(results, Is.EqualTo(new[] { IpcErrorCode.SeCanceled, IpcErrorCode.ReCanceled }), "canceled at once, not timed out");
        // Past the deadlines nothing fires: the server still waits for requests and serves the next one.
        f.Kernel.RunFor(1_000_000);
        Assert.That((sth.State, busy.QueuedSenders, sem.Waiting.IsEmpty), Is.EqualTo((ThreadRunState.Blocked, 0, true)));
        Assert.That(ct.Call(CapSel.FromIndex(10), new MsgTag(0, 1, 0, 0)).HasError, Is.False);
        Assert.That(results, Has.Count.EqualTo(4));
    }
}
