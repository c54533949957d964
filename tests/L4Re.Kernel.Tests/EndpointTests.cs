using L4Re.Kernel.Abi;
using L4Re.Kernel.Native;
using L4Re.Kernel.Objects;

namespace L4Re.Kernel.Tests;

public class EndpointTests
{
    [Test]
    public void Gate_label_carries_the_callers_w_and_s_rights()
    {
        var f = new Fixture();
        var server = new IncrementServer();
        var (_, st) = f.ServerTask("server", server);
        var gate = f.Root.CreateGate(st, 0x100);
        var (c, ct) = f.HostTask("client");
        c.InsertCapability(10, gate, CapRights.R);
        c.InsertCapability(11, gate, CapRights.RW);
        c.InsertCapability(12, gate, CapRights.RWS);
        ct.Call(CapSel.FromIndex(10), new MsgTag(0, 1, 0, 0));
        Assert.That(ct.Utcb.Mr[1], Is.EqualTo(0x100UL));
        ct.Call(CapSel.FromIndex(11), new MsgTag(0, 1, 0, 0));
        Assert.That(ct.Utcb.Mr[1], Is.EqualTo(0x101UL));
        ct.Call(CapSel.FromIndex(12), new MsgTag(0, 1, 0, 0));
        Assert.That(ct.Utcb.Mr[1], Is.EqualTo(0x103UL));
    }

    [Test]
    public void Gate_server_interface_needs_the_server_attribute()
    {
        var f = new Fixture();
        var server = new IncrementServer();
        var (_, st) = f.ServerTask("server", server);
        var gate = f.Root.CreateGate(st, 0x100);
        var (c, ct) = f.HostTask("client");
        c.InsertCapability(10, gate, CapRights.RWS); // created: all object rights
        var r = ct.Call(CapSel.FromIndex(10), L4Sys.IpcGateGetInfo(ct.Utcb));
        Assert.That(r.Tag.Label, Is.Zero);
        Assert.That(ct.Utcb.Mr[0], Is.EqualTo(0x100UL));
        Assert.That(server.Calls, Is.Zero);
        // Mapped without L4_FPAGE_C_IPCGATE_SVR: kernel-object messages become IPC to the server.
        var (d, _) = f.HostTask("d");
        d.Map(c, Fpage.Obj(CapSel.FromIndex(10), CapRights.RWS), 10UL << 12);
        Assert.That(d.Caps!.Lookup(10)!.Value.Attributes & SndItem.ObjRight1, Is.Zero);
        var dt = d.Threads[0];
        dt.Call(CapSel.FromIndex(10), L4Sys.IpcGateGetInfo(dt.Utcb));
        Assert.That(server.Calls, Is.EqualTo(1));
        // Mapped with it: the server interface is kept.
        var (e, et) = f.HostTask("e");
        e.Map(c, Fpage.Obj(CapSel.FromIndex(10), CapRights.RWS), SndItem.MapObj(10UL << 12, attributes: SndItem.ObjRight1));
        et.Call(CapSel.FromIndex(10), L4Sys.IpcGateGetInfo(et.Utcb));
        Assert.That(et.Utcb.Mr[0], Is.EqualTo(0x100UL));
        Assert.That(server.Calls, Is.EqualTo(1));
    }

    [Test]
    public void Bind_needs_s_on_gate_and_thread_and_a_clean_label()
    {
        var f = new Fixture();
        var (c, ct) = f.HostTask("c");
        var gate = f.Root.CreateGate();
        c.InsertCapability(10, gate, CapRights.RW);
        c.InsertCapability(11, gate, CapRights.RWS);
        Assert.That(ct.Call(CapSel.FromIndex(10), L4Sys.RcvEpBind(ct.Utcb, CapSel.FromBoot(BootCap.Thread), 0x40)).ResultError, Is.EqualTo(L4Error.Perm));
        Assert.That(ct.Call(CapSel.FromIndex(11), L4Sys.RcvEpBind(ct.Utcb, CapSel.FromBoot(BootCap.Thread), 0x41)).ResultError, Is.EqualTo(L4Error.Inval));
        c.InsertCapability(12, ct, CapRights.RW);
        Assert.That(ct.Call(CapSel.FromIndex(11), L4Sys.RcvEpBind(ct.Utcb, CapSel.FromIndex(12), 0x40)).ResultError, Is.EqualTo(L4Error.Perm));
        Assert.That(ct.Call(CapSel.FromIndex(11), L4Sys.RcvEpBind(ct.Utcb, CapSel.FromBoot(BootCap.Thread), 0x40)).Tag.Label, Is.Zero);
        Assert.That(gate.Thread, Is.SameAs(ct));
        Assert.That(gate.Label, Is.EqualTo(0x40UL));
    }

    [Test]
    public void Sender_through_an_unbound_gate_waits_until_it_is_bound()
    {
        var f = new Fixture();
        var gate = f.Root.CreateGate();
        var (c, ct) = f.HostTask("c");
        c.InsertCapability(10, gate, CapRights.RW);
        ct.Utcb.Mr[0] = 1;
        Assert.That(ct.Call(CapSel.FromIndex(10), new MsgTag(0, 1, 0, 0)).IsBlocked, Is.True);
        var server = new IncrementServer();
        var (_, st) = f.ServerTask("server", server);
        f.Kernel.Run();
        gate.Bind(st, 0x20);
        f.Kernel.Run();
        Assert.That(ct.SysDone, Is.True);
        Assert.That(ct.Utcb.Mr[0], Is.EqualTo(2UL));
        Assert.That(ct.Utcb.Mr[1], Is.EqualTo(0x21UL));
    }

    [Test]
    public void Unbound_gate_send_timeout_and_deletion()
    {
        var f = new Fixture();
        var gate = f.Root.CreateGate();
        var (c, ct) = f.HostTask("c");
        c.InsertCapability(10, gate, CapRights.RW);
        Assert.That(ct.Call(CapSel.FromIndex(10), new MsgTag(0, 0, 0, 0), TimeoutPair.SendZero).ErrorCode, Is.EqualTo(IpcErrorCode.SeTimeout));
        Assert.That(ct.Call(CapSel.FromIndex(10), new MsgTag(0, 0, 0, 0)).IsBlocked, Is.True);
        gate.Delete();
        Assert.That(ct.LastResult.ErrorCode, Is.EqualTo(IpcErrorCode.NotExistent));
    }

    [Test]
    public void Irq_delivers_its_label_to_the_bound_thread_and_eoi_waits_for_the_next()
    {
        var f = new Fixture();
        var (a, at) = f.HostTask("driver");
        var irq = f.Root.CreateIrq();
        a.InsertCapability(20, irq, CapRights.RWS);
        Assert.That(at.Call(CapSel.FromIndex(20), L4Sys.RcvEpBind(at.Utcb, CapSel.FromBoot(BootCap.Thread), 0x99)).Tag.Label, Is.Zero);
        Assert.That(irq.Target, Is.SameAs(at));
        irq.Trigger();
        Assert.That(irq.IsQueued, Is.True);
        var r = at.Wait();
        Assert.That(r.Label, Is.EqualTo(0x99UL));
        Assert.That(r.Tag.Raw, Is.Zero, "an IRQ message has an empty tag");
        // EOI with a receive phase: a closed wait on the IRQ.
        var r2 = at.Call(CapSel.FromIndex(20), L4Sys.IrqEoi(at.Utcb), new TimeoutPair(L4Timeout.Never, L4Timeout.Relative(100, 0)));
        Assert.That(r2.ErrorCode, Is.EqualTo(IpcErrorCode.ReTimeout));
        Assert.That(at.Call(CapSel.FromIndex(20), L4Sys.IrqEoi(at.Utcb)).IsBlocked, Is.True);
        irq.Trigger();
        Assert.That(at.LastResult.Label, Is.EqualTo(0x99UL));
    }

    [Test]
    public void Irq_hits_while_queued_are_coalesced_and_trigger_through_the_protocol_works()
    {
        var f = new Fixture();
        var (a, at) = f.HostTask("driver");
        var irq = f.Root.CreateIrq();
        irq.Bind(at, 5);
        a.InsertCapability(20, irq, CapRights.RW);
        at.Send(CapSel.FromIndex(20), L4Sys.IrqTrigger());
        at.Send(CapSel.FromIndex(20), L4Sys.IrqTrigger());
        Assert.That(at.QueuedSenders, Is.EqualTo(1));
        Assert.That(at.Wait().Label, Is.EqualTo(5UL));
        Assert.That(at.Wait().Label, Is.EqualTo(5UL), "the coalesced hit is delivered after the first");
        Assert.That(at.Wait(TimeoutPair.ReceiveZero).ErrorCode, Is.EqualTo(IpcErrorCode.ReTimeout));
    }

    [Test]
    public void Detached_irq_records_the_hit_and_delivers_it_after_rebinding()
    {
        var f = new Fixture();
        var (a, at) = f.HostTask("driver");
        var irq = f.Root.CreateIrq();
        a.InsertCapability(20, irq, CapRights.RWS);
        irq.Bind(at, 5);
        Assert.That(at.Call(CapSel.FromIndex(20), L4Sys.IrqDetach(at.Utcb)).Tag.Label, Is.Zero);
        irq.Trigger();
        Assert.That(irq.IsPending, Is.True);
        irq.Bind(at, 6);
        Assert.That(at.Wait().Label, Is.EqualTo(6UL));
    }

    [Test]
    public void Icu_binds_an_irq_to_a_pin_and_the_pin_delivers()
    {
        var f = new Fixture();
        var (a, at) = f.HostTask("io");
        var irq = f.Root.CreateIrq();
        a.InsertCapability(20, irq, CapRights.RWS);
        a.InsertCapability(21, f.Kernel.Icu, CapRights.RWS);
        irq.Bind(at, 0x33);
        Assert.That(at.Call(CapSel.FromIndex(21), L4Sys.IcuBind(at.Utcb, 17, CapSel.FromIndex(20))).Tag.Label, Is.Zero);
        Assert.That(f.Kernel.Icu.BoundTo(17), Is.SameAs(irq));
        Assert.That(at.Call(CapSel.FromIndex(21), L4Sys.IcuBind(at.Utcb, 17, CapSel.FromIndex(20))).Tag.Label, Is.Zero, "rebinding the same IRQ detaches it first");
        var other = f.Root.CreateIrq();
        a.InsertCapability(22, other, CapRights.RWS);
        Assert.That(at.Call(CapSel.FromIndex(21), L4Sys.IcuBind(at.Utcb, 17, CapSel.FromIndex(22))).ResultError, Is.EqualTo(L4Error.Inval), "pin taken");
        Assert.That(at.Call(CapSel.FromIndex(21), L4Sys.IcuBind(at.Utcb, 9999, CapSel.FromIndex(22))).ResultError, Is.EqualTo(L4Error.Inval));
        f.Kernel.Icu.Raise(17);
        Assert.That(at.Wait().Label, Is.EqualTo(0x33UL));
        var info = at.Call(CapSel.FromIndex(21), L4Sys.IcuInfo(at.Utcb));
        Assert.That(info.Tag.Words, Is.EqualTo(3u));
        Assert.That(at.Utcb.Mr[1], Is.EqualTo((ulong)f.Kernel.Options.IcuPins));
        Assert.That(at.Call(CapSel.FromIndex(21), L4Sys.IcuUnbind(at.Utcb, 17, CapSel.FromIndex(20))).Tag.Label, Is.Zero);
        Assert.That(f.Kernel.Icu.BoundTo(17), Is.Null);
    }

    [Test]
    public void Icu_mask_holds_back_and_unmask_delivers_a_pending_edge()
    {
        var f = new Fixture();
        var (a, at) = f.HostTask("io");
        var irq = f.Root.CreateIrq();
        irq.Bind(at, 1);
        f.Kernel.Icu.Bind(3, irq);
        a.InsertCapability(21, f.Kernel.Icu, CapRights.RWS);
        at.Send(CapSel.FromIndex(21), L4Sys.IcuMask(at.Utcb, 3, mask: true));
        Assert.That(irq.IsMasked, Is.True);
        f.Kernel.Icu.Raise(3);
        Assert.That(at.QueuedSenders, Is.Zero);
        at.Send(CapSel.FromIndex(21), L4Sys.IcuMask(at.Utcb, 3, mask: false));
        Assert.That(at.Wait().Label, Is.EqualTo(1UL));
    }

    [Test]
    public void Level_triggered_pin_fires_again_at_eoi_while_asserted()
    {
        var f = new Fixture();
        var (a, at) = f.HostTask("io");
        var irq = f.Root.CreateIrq();
        irq.Bind(at, 1);
        a.InsertCapability(20, irq, CapRights.RWS);
        a.InsertCapability(21, f.Kernel.Icu, CapRights.RWS);
        Assert.That(at.Call(CapSel.FromIndex(21), L4Sys.IcuSetMode(at.Utcb, 4, IrqMode.LevelHigh)).Tag.Label, Is.Zero);
        f.Kernel.Icu.Bind(4, irq);
        f.Kernel.Icu.SetLine(4, true);
        Assert.That(at.Wait().Label, Is.EqualTo(1UL));
        Assert.That(irq.IsMasked, Is.True, "level IRQs stay masked until EOI");
        at.Send(CapSel.FromIndex(20), L4Sys.IrqEoi(at.Utcb));
        Assert.That(at.Wait(TimeoutPair.ReceiveZero).Label, Is.EqualTo(1UL), "still asserted: fires again");
        f.Kernel.Icu.SetLine(4, false);
        at.Send(CapSel.FromIndex(20), L4Sys.IrqEoi(at.Utcb));
        Assert.That(at.Wait(TimeoutPair.ReceiveZero).ErrorCode, Is.EqualTo(IpcErrorCode.ReTimeout));
        Assert.That(at.Call(CapSel.FromIndex(21), L4Sys.IcuSetMode(at.Utcb, 9999, IrqMode.LevelHigh)).ResultError, Is.EqualTo(L4Error.Inval));
    }

    [Test]
    public void Semaphore_up_and_down()
    {
        var f = new Fixture();
        var (a, at) = f.HostTask("a");
        var sem = f.Root.CreateSemaphore();
        a.InsertCapability(20, sem, CapRights.RWS);
        Assert.That(at.Call(CapSel.FromIndex(20), L4Sys.SemaphoreDown(at.Utcb), TimeoutPair.ReceiveZero).ErrorCode, Is.EqualTo(IpcErrorCode.ReTimeout));
        at.Send(CapSel.FromIndex(20), L4Sys.IrqTrigger());
        at.Send(CapSel.FromIndex(20), L4Sys.IrqTrigger());
        Assert.That(sem.Count, Is.EqualTo(2));
        Assert.That(at.Call(CapSel.FromIndex(20), L4Sys.SemaphoreDown(at.Utcb)).Tag.Label, Is.Zero);
        Assert.That(sem.Count, Is.EqualTo(1));
        a.InsertCapability(21, sem, CapRights.RW);
        Assert.That(at.Call(CapSel.FromIndex(21), L4Sys.SemaphoreDown(at.Utcb)).ResultError, Is.EqualTo(L4Error.Perm));
    }

    [Test]
    public void Semaphore_down_blocks_until_up_and_deletion_wakes_with_not_existent()
    {
        var f = new Fixture();
        var (a, at) = f.HostTask("a");
        var sem = f.Root.CreateSemaphore();
        a.InsertCapability(20, sem, CapRights.RWS);
        Assert.That(at.Call(CapSel.FromIndex(20), L4Sys.SemaphoreDown(at.Utcb)).IsBlocked, Is.True);
        Assert.That(sem.WaiterCount, Is.EqualTo(1));
        sem.Trigger();
        Assert.That(at.LastResult.Tag.Label, Is.Zero);
        Assert.That(at.LastResult.HasError, Is.False);
        Assert.That(at.Call(CapSel.FromIndex(20), L4Sys.SemaphoreDown(at.Utcb)).IsBlocked, Is.True);
        sem.Delete();
        Assert.That(at.LastResult.ErrorCode, Is.EqualTo(IpcErrorCode.NotExistent));
    }

    [Test]
    public void Scheduler_run_thread_checks_and_clamps_the_priority()
    {
        var f = new Fixture();
        var (a, at) = f.HostTask("a");
        var t2 = f.Root.CreateThread();
        t2.Bind(a);
        a.InsertCapability(20, t2, CapRights.RWS);
        a.InsertCapability(21, f.Kernel.Scheduler, CapRights.RWS);
        Assert.That(at.Call(CapSel.FromIndex(21), L4Sys.SchedulerRunThread(at.Utcb, CapSel.FromIndex(20), 0)).ResultError, Is.EqualTo(L4Error.Inval));
        Assert.That(at.Call(CapSel.FromIndex(21), L4Sys.SchedulerRunThread(at.Utcb, CapSel.FromIndex(20), 300, 2000)).Tag.Label, Is.Zero);
        Assert.That(t2.Priority, Is.EqualTo(255));
        Assert.That(t2.QuantumNs, Is.EqualTo(2_000_000));
        Assert.That(t2.IsOnCpu, Is.True);
        L4Sys.SchedulerRunThread(at.Utcb, CapSel.FromIndex(20), 5);
        Assert.That(at.Call(CapSel.FromIndex(21), MsgTag.Of(ProtocolLabel.Scheduler, 4, 1)).ResultError, Is.EqualTo(L4Error.Inval));
        var info = at.Call(CapSel.FromIndex(21), L4Sys.SchedulerInfo(at.Utcb));
        Assert.That(info.Tag.Words, Is.EqualTo(3u));
        Assert.That(at.Utcb.Mr[0], Is.EqualTo(1UL));
        Assert.That(at.Utcb.Mr[2], Is.EqualTo(Scheduler.ClassFixedPrio));
    }

    [Test]
    public void Scheduler_idle_time_counts_virtual_idle_time()
    {
        var f = new Fixture();
        var (a, at) = f.HostTask("a");
        a.InsertCapability(21, f.Kernel.Scheduler, CapRights.RWS);
        Assert.That(at.Wait(new TimeoutPair(L4Timeout.Never, L4Timeout.Relative(1000, 2))).ErrorCode, Is.EqualTo(IpcErrorCode.ReTimeout));
        var r = at.Call(CapSel.FromIndex(21), L4Sys.SchedulerIdleTime(at.Utcb));
        Assert.That(r.Tag.Label, Is.Zero);
        Assert.That(at.Utcb.Mr[0], Is.InRange(3900UL, 4000UL));
    }

    [Test]
    public void Vlog_write_read_and_attributes()
    {
        var f = new Fixture();
        var (a, at) = f.HostTask("a");
        a.InsertCapability(20, f.Kernel.Log, CapRights.RW);
        var lines = new List<string>();
        f.Kernel.Log.LineWritten += lines.Add;
        at.Send(CapSel.FromIndex(20), L4Sys.VlogWrite(at.Utcb, "hello\nwor"u8));
        at.Send(CapSel.FromIndex(20), L4Sys.VlogWrite(at.Utcb, "ld\n"u8));
        Assert.That(f.Kernel.Log.Output, Is.EqualTo("hello\nworld\n"));
        Assert.That(lines, Is.EqualTo(new[] { "hello", "world" }));
        f.Kernel.Log.Input("ok\r");
        at.Utcb.Mr[0] = (ulong)VlogOp.Read | (16UL << 16);
        var r = at.Call(CapSel.FromIndex(20), MsgTag.Of(ProtocolLabel.Log, 1));
        Assert.That(r.Tag.Label, Is.Zero);
        Assert.That(at.Utcb.Mr[0] & 0x3fffffff, Is.EqualTo(3UL));
        Assert.That(at.Utcb.Mr[1] & 0xffffff, Is.EqualTo((ulong)'o' | ((ulong)'k' << 8) | ((ulong)'\n' << 16)), "CR mapped to NL (ICRNL)");
        at.Utcb.Mr[0] = (ulong)VlogOp.GetAttr;
        Assert.That(at.Call(CapSel.FromIndex(20), MsgTag.Of(ProtocolLabel.Log, 1)).Tag.Words, Is.EqualTo(4u));
        Assert.That(at.Utcb.Mr[2] & Vlog.OnlCr, Is.EqualTo(Vlog.OnlCr));
        at.Utcb.Mr[0] = 9;
        Assert.That(at.Call(CapSel.FromIndex(20), MsgTag.Of(ProtocolLabel.Log, 1)).ResultError, Is.EqualTo(L4Error.NoSys));
    }
}
