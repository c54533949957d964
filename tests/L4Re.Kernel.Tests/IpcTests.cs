using L4Re.Kernel.Abi;
using L4Re.Kernel.Native;
using L4Re.Kernel.Objects;

namespace L4Re.Kernel.Tests;

public class IpcTests
{
    private static readonly TimeoutPair SendZero = TimeoutPair.SendZero;

    [Test]
    public void Invoking_an_empty_slot_is_not_existent()
    {
        var f = new Fixture();
        var (_, t) = f.HostTask("a");
        var r = t.Call(CapSel.FromIndex(99), new MsgTag(0, 0, 0, 0));
        Assert.That(r.ErrorCode, Is.EqualTo(IpcErrorCode.NotExistent));
        Assert.That(r.Error.IsSendPhase, Is.True);
        Assert.That(r.Tag.Raw, Is.EqualTo((ulong)MsgTag.Error));
    }

    [Test]
    public void Send_with_zero_timeout_to_a_thread_that_does_not_wait_times_out_in_the_send_phase()
    {
        var f = new Fixture();
        var (a, at) = f.HostTask("a");
        var (_, bt) = f.HostTask("b");
        a.InsertCapability(10, bt);
        var r = at.Send(CapSel.FromIndex(10), new MsgTag(0, 1, 0, 0), new TimeoutPair(L4Timeout.Zero, L4Timeout.Never));
        Assert.That(r.ErrorCode, Is.EqualTo(IpcErrorCode.SeTimeout));
    }

    [Test]
    public void Finite_send_timeout_expires_in_virtual_time()
    {
        var f = new Fixture();
        var (a, at) = f.HostTask("a");
        var (_, bt) = f.HostTask("b");
        a.InsertCapability(10, bt);
        var before = f.Kernel.Now;
        var r = at.Send(CapSel.FromIndex(10), new MsgTag(0, 1, 0, 0), new TimeoutPair(L4Timeout.Relative(500, 0), L4Timeout.Never));
        Assert.That(r.ErrorCode, Is.EqualTo(IpcErrorCode.SeTimeout));
        Assert.That(f.Kernel.Now - before, Is.GreaterThanOrEqualTo(500_000));
        Assert.That(bt.QueuedSenders, Is.Zero, "the timed-out sender left the queue");
    }

    [Test]
    public void Receive_with_zero_timeout_and_nothing_queued_times_out_in_the_receive_phase()
    {
        var f = new Fixture();
        var (_, t) = f.HostTask("a");
        var r = t.Wait(TimeoutPair.ReceiveZero);
        Assert.That(r.ErrorCode, Is.EqualTo(IpcErrorCode.ReTimeout));
        Assert.That(r.Error.IsSendPhase, Is.False);
    }

    [Test]
    public void Absolute_receive_timeout_reads_the_deadline_from_a_buffer_register()
    {
        var f = new Fixture();
        var (_, t) = f.HostTask("a");
        t.Utcb.Br[3] = 2000; // µs
        var r = t.Wait(new TimeoutPair(L4Timeout.Never, L4Timeout.Absolute(3)));
        Assert.That(r.ErrorCode, Is.EqualTo(IpcErrorCode.ReTimeout));
        Assert.That(f.Kernel.Now, Is.GreaterThanOrEqualTo(2_000_000));
    }

    [Test]
    public void Blocked_wait_with_infinite_timeout_reports_blocked_and_cancel_gives_recanceled()
    {
        var f = new Fixture();
        var (_, t) = f.HostTask("a");
        var r = t.Wait();
        Assert.That(r.IsBlocked, Is.True);
        Assert.That(t.State, Is.EqualTo(ThreadRunState.Blocked));
        t.Cancel();
        Assert.That(t.LastResult.ErrorCode, Is.EqualTo(IpcErrorCode.ReCanceled));
    }

    [Test]
    public void Canceling_a_queued_sender_gives_secanceled()
    {
        var f = new Fixture();
        var (a, at) = f.HostTask("a");
        var (_, bt) = f.HostTask("b");
        a.InsertCapability(10, bt);
        var r = at.Send(CapSel.FromIndex(10), new MsgTag(0, 0, 0, 0));
        Assert.That(r.IsBlocked, Is.True);
        Assert.That(bt.QueuedSenders, Is.EqualTo(1));
        at.Cancel();
        Assert.That(at.LastResult.ErrorCode, Is.EqualTo(IpcErrorCode.SeCanceled));
        Assert.That(bt.QueuedSenders, Is.Zero);
    }

    [Test]
    public void Queued_sender_is_received_by_a_later_open_wait_with_its_label()
    {
        var f = new Fixture();
        var (a, at) = f.HostTask("a");
        var (_, bt) = f.HostTask("b");
        a.InsertCapability(10, bt);
        at.Utcb.Mr[0] = 7;
        Assert.That(at.Ipc(CapSel.FromIndex(10).WithFlags(SyscallFlags.Send), new MsgTag(5, 1, 0, 0), default, 0x1234).IsBlocked, Is.True);
        var r = bt.Wait();
        Assert.That(r.HasError, Is.False);
        Assert.That(r.Label, Is.EqualTo(0x1234UL), "thread-capability IPC carries the sender's label");
        Assert.That(r.Tag.Label, Is.EqualTo(5));
        Assert.That(bt.Utcb.Mr[0], Is.EqualTo(7UL));
        Assert.That(at.LastResult.HasError, Is.False, "the send completed");
    }

    [Test]
    public void Reply_reaches_only_the_caller_and_only_once()
    {
        var f = new Fixture();
        var (c, ct) = f.HostTask("client");
        var (s, st) = f.HostTask("server");
        var (x, xt) = f.HostTask("bystander");
        c.InsertCapability(10, st);
        x.InsertCapability(10, st);
        Assert.That(ct.Call(CapSel.FromIndex(10), new MsgTag(0, 0, 0, 0)).IsBlocked, Is.True);
        var r = st.Wait();
        Assert.That(r.HasError, Is.False);
        st.Utcb.Mr[0] = 99;
        var reply = st.Reply(new MsgTag(0, 1, 0, 0));
        Assert.That(reply.HasError, Is.False);
        Assert.That(ct.LastResult.HasError, Is.False);
        Assert.That(ct.Utcb.Mr[0], Is.EqualTo(99UL));
        Assert.That(xt.Utcb.Mr[0], Is.Zero);
        var again = st.Reply(new MsgTag(0, 1, 0, 0));
        Assert.That(again.ErrorCode, Is.EqualTo(IpcErrorCode.NotExistent), "the reply capability is used up");
    }

    [Test]
    public void Reply_after_the_caller_timed_out_is_not_existent()
    {
        var f = new Fixture();
        var (c, ct) = f.HostTask("client");
        var (_, st) = f.HostTask("server");
        c.InsertCapability(10, st);
        // Client sends first (queued), with a short receive timeout.
        Assert.That(ct.Call(CapSel.FromIndex(10), new MsgTag(0, 0, 0, 0), new TimeoutPair(L4Timeout.Never, L4Timeout.Relative(10, 0))).IsBlocked, Is.True);
        Assert.That(st.Wait().HasError, Is.False);
        f.Kernel.Run();
        Assert.That(ct.LastResult.ErrorCode, Is.EqualTo(IpcErrorCode.ReTimeout));
        Assert.That(st.Reply(new MsgTag(0, 0, 0, 0)).ErrorCode, Is.EqualTo(IpcErrorCode.NotExistent));
    }

    [Test]
    public void Explicit_reply_capability_receive_has_no_reply_cap_slot()
    {
        var f = new Fixture();
        var (_, t) = f.HostTask("a");
        var r = t.Ipc(new CapSel(CapSel.ReplyBit | (1UL << 12)).WithFlags(SyscallFlags.Wait), default, TimeoutPair.ReceiveZero);
        Assert.That(r.ErrorCode, Is.EqualTo(IpcErrorCode.NoReplyCap));
    }

    [Test]
    public void Sender_queued_at_a_dying_receiver_is_canceled()
    {
        var f = new Fixture();
        var (a, at) = f.HostTask("a");
        var (_, bt) = f.HostTask("b");
        a.InsertCapability(10, bt);
        Assert.That(at.Send(CapSel.FromIndex(10), new MsgTag(0, 0, 0, 0)).IsBlocked, Is.True);
        bt.DeleteObject();
        Assert.That(at.LastResult.ErrorCode, Is.EqualTo(IpcErrorCode.SeCanceled));
        Assert.That(at.Send(CapSel.FromIndex(10), new MsgTag(0, 0, 0, 0)).ErrorCode, Is.EqualTo(IpcErrorCode.NotExistent), "the capability is gone");
    }

    [Test]
    public void Caller_of_a_killed_callee_is_left_waiting_until_its_timeout()
    {
        var f = new Fixture();
        var (c, ct) = f.HostTask("client");
        var (_, st) = f.HostTask("server");
        c.InsertCapability(10, st);
        Assert.That(ct.Call(CapSel.FromIndex(10), new MsgTag(0, 0, 0, 0), new TimeoutPair(L4Timeout.Never, L4Timeout.Relative(100, 0))).IsBlocked, Is.True);
        Assert.That(st.Wait().HasError, Is.False);
        st.DeleteObject();
        Assert.That(ct.SysDone, Is.False, "Fiasco: the caller is left waiting");
        f.Kernel.Run();
        Assert.That(ct.LastResult.ErrorCode, Is.EqualTo(IpcErrorCode.ReTimeout));
    }

    [Test]
    public void Map_item_without_a_receive_buffer_cuts_the_message()
    {
        var f = new Fixture();
        var (a, at) = f.HostTask("a");
        var (_, bt) = f.HostTask("b");
        a.InsertCapability(10, bt);
        Assert.That(bt.Wait().IsBlocked, Is.True);
        at.Utcb.Mr[0] = SndItem.MapObj().Raw;
        at.Utcb.Mr[1] = Fpage.Obj(CapSel.FromIndex(1), CapRights.RWS).Raw;
        var r = at.Send(CapSel.FromIndex(10), new MsgTag(0, 0, 1, 0), SendZero);
        Assert.That(r.ErrorCode, Is.EqualTo(IpcErrorCode.SeMsgCut));
        Assert.That(bt.LastResult.ErrorCode, Is.EqualTo(IpcErrorCode.ReMsgCut));
        Assert.That(bt.LastResult.Tag.HasError, Is.True);
    }

    [Test]
    public void Object_item_is_received_into_the_buffer_slot_with_diminished_rights()
    {
        var f = new Fixture();
        var (a, at) = f.HostTask("a");
        var (b, bt) = f.HostTask("b");
        var gate = f.Root.CreateGate();
        a.InsertCapability(20, gate, CapRights.RWSD);
        a.InsertCapability(10, bt, CapRights.RW); // no S on the thread capability used to send
        L4Sys.ReceiveCapability(bt.Utcb, CapSel.FromIndex(30));
        Assert.That(bt.Wait().IsBlocked, Is.True);
        at.Utcb.Mr[0] = SndItem.MapObj().Raw;
        at.Utcb.Mr[1] = Fpage.Obj(CapSel.FromIndex(20), CapRights.RWSD).Raw;
        var r = at.Send(CapSel.FromIndex(10), new MsgTag(0, 0, 1, 0), SendZero);
        Assert.That(r.HasError, Is.False, r.ToString());
        var got = b.Caps!.Lookup(30);
        Assert.That(got, Is.Not.Null);
        Assert.That(got!.Value.Object, Is.SameAs(gate));
        Assert.That(got.Value.Rights, Is.EqualTo(CapRights.RWD), "S is dropped: the sending capability lacks S");
        Assert.That(bt.LastResult.Tag.Items, Is.EqualTo(1u));
    }

    [Test]
    public void Memory_map_item_is_bounded_by_the_receive_window()
    {
        var f = new Fixture();
        var (a, at) = f.HostTask("a");
        var (b, bt) = f.HostTask("b");
        var ds = new Memory.Dataspace(4 * 4096, "ds");
        a.Attach(ds, 0x10000, MemRights.RW);
        a.InsertCapability(10, bt);
        L4Sys.ReceiveMemory(bt.Utcb, Fpage.Memory(0x80000, 13, MemRights.RWX)); // 2 pages
        Assert.That(bt.Wait().IsBlocked, Is.True);
        at.Utcb.Mr[0] = SndItem.Map(0).Raw;
        at.Utcb.Mr[1] = Fpage.Memory(0x10000, 14, MemRights.R).Raw; // 4 pages, read-only
        var r = at.Send(CapSel.FromIndex(10), new MsgTag(0, 0, 1, 0), SendZero);
        Assert.That(r.HasError, Is.False);
        Assert.That(b.Memory.TryTranslate(0x80000, out var t0), Is.True);
        Assert.That(t0.Rights, Is.EqualTo(MemRights.R), "rights reduced on map");
        Assert.That(b.Memory.TryTranslate(0x81000, out _), Is.True);
        Assert.That(b.Memory.TryTranslate(0x82000, out _), Is.False, "outside the two-page window");
        Assert.That(b.Memory.Count, Is.EqualTo(2));
    }

    [Test]
    public void Map_failing_for_quota_gives_map_failed_in_both_phases()
    {
        var f = new Fixture();
        var small = f.Root.CreateFactory(ObjectSizes.Task + 100);
        var a = f.Root.CreateTask("a");
        var at = f.Root.CreateThread();
        at.Bind(a);
        at.Drive();
        var b = small.CreateTask("b");
        var bt = f.Root.CreateThread();
        bt.Bind(b);
        bt.Drive();
        var ds = new Memory.Dataspace(4096, "ds");
        a.Attach(ds, 0x10000, MemRights.RW);
        a.InsertCapability(10, bt);
        L4Sys.ReceiveMemory(bt.Utcb, Fpage.All);
        Assert.That(bt.Wait().IsBlocked, Is.True);
        at.Utcb.Mr[0] = SndItem.Map(0x10000).Raw;
        at.Utcb.Mr[1] = Fpage.Memory(0x10000, 12, MemRights.RW).Raw;
        var r = at.Send(CapSel.FromIndex(10), new MsgTag(0, 0, 1, 0), SendZero);
        Assert.That(r.ErrorCode, Is.EqualTo(IpcErrorCode.SeMapFailed));
        Assert.That(bt.LastResult.ErrorCode, Is.EqualTo(IpcErrorCode.ReMapFailed));
        Assert.That(small.Used + small.Free, Is.EqualTo(small.Limit));
    }

    [Test]
    public void Reply_and_wait_serves_the_next_queued_caller_immediately()
    {
        var f = new Fixture();
        var (c1, t1) = f.HostTask("c1");
        var (c2, t2) = f.HostTask("c2");
        var (_, st) = f.HostTask("server");
        c1.InsertCapability(10, f.Root.CreateGate(st, 0x100));
        c2.InsertCapability(10, f.Root.CreateGate(st, 0x200));
        Assert.That(t1.Call(CapSel.FromIndex(10), new MsgTag(0, 0, 0, 0)).IsBlocked, Is.True);
        Assert.That(t2.Call(CapSel.FromIndex(10), new MsgTag(0, 0, 0, 0)).IsBlocked, Is.True);
        var first = st.Wait();
        Assert.That(first.Label & ~3UL, Is.EqualTo(0x100UL));
        var second = st.ReplyAndWait(new MsgTag(0, 0, 0, 0), TimeoutPair.SendZero);
        Assert.That(t1.LastResult.HasError, Is.False);
        Assert.That(second.Label & ~3UL, Is.EqualTo(0x200UL));
        Assert.That(t2.SysDone, Is.False);
    }

    [Test]
    public void Higher_priority_sender_is_received_first()
    {
        var f = new Fixture();
        var (a, at) = f.HostTask("low", priority: 3);
        var (b, bt) = f.HostTask("high", priority: 9);
        var (_, rt) = f.HostTask("receiver");
        a.InsertCapability(10, rt);
        b.InsertCapability(10, rt);
        at.Ipc(CapSel.FromIndex(10).WithFlags(SyscallFlags.Send), new MsgTag(0, 0, 0, 0), default, 0xa);
        bt.Ipc(CapSel.FromIndex(10).WithFlags(SyscallFlags.Send), new MsgTag(0, 0, 0, 0), default, 0xb);
        Assert.That(rt.Wait().Label, Is.EqualTo(0xbUL));
        Assert.That(rt.Wait().Label, Is.EqualTo(0xaUL));
    }

    [Test]
    public void Words_are_copied_up_to_the_tag_count_and_the_rest_is_untouched()
    {
        var f = new Fixture();
        var (a, at) = f.HostTask("a");
        var (_, bt) = f.HostTask("b");
        a.InsertCapability(10, bt);
        Assert.That(bt.Wait().IsBlocked, Is.True);
        for (var i = 0; i < 63; i++)
            at.Utcb.Mr[i] = (ulong)i + 100;
        bt.Utcb.Mr[5] = 0xdead;
        at.Send(CapSel.FromIndex(10), new MsgTag(0, 5, 0, 0), SendZero);
        Assert.That(bt.Utcb.Mr[4], Is.EqualTo(104UL));
        Assert.That(bt.Utcb.Mr[5], Is.EqualTo(0xdeadUL));
        Assert.That(bt.LastResult.Tag.Words, Is.EqualTo(5u));
    }
}

public class TypedItemTests
{
    [Test]
    public void Grant_item_moves_the_page_to_the_receiver()
    {
        var f = new Fixture();
        var (a, at) = f.HostTask("a");
        var (b, bt) = f.HostTask("b");
        a.Attach(new Memory.Dataspace(4096, "p"), 0x10000, MemRights.RW);
        a.InsertCapability(10, bt);
        L4Sys.ReceiveMemory(bt.Utcb, Fpage.All);
        Assert.That(bt.Wait().IsBlocked, Is.True);
        at.Utcb.Mr[0] = SndItem.Map(0x70000, grant: true).Raw;
        at.Utcb.Mr[1] = Fpage.Memory(0x10000, 12, MemRights.RW).Raw;
        Assert.That(at.Send(CapSel.FromIndex(10), new MsgTag(0, 0, 1, 0), TimeoutPair.SendZero).HasError, Is.False);
        Assert.That(a.Memory.TryTranslate(0x10000, out _), Is.False);
        Assert.That(b.Memory.TryTranslate(0x70000, out var t), Is.True);
        Assert.That(t.Rights, Is.EqualTo(MemRights.RW));
    }

    [Test]
    public void Local_id_buffer_receives_the_gate_label_instead_of_a_capability()
    {
        var f = new Fixture();
        var (a, at) = f.HostTask("a");
        var (b, bt) = f.HostTask("b");
        var gate = f.Root.CreateGate(bt, 0x500);
        a.InsertCapability(20, gate, CapRights.RWS);
        a.InsertCapability(10, bt, CapRights.RWS);
        bt.Utcb.Bdr = default;
        bt.Utcb.Br[0] = BufItem.SmallObj(CapSel.FromIndex(40), localId: true).Raw;
        Assert.That(bt.Wait().IsBlocked, Is.True);
        at.Utcb.Mr[0] = SndItem.MapObj().Raw;
        at.Utcb.Mr[1] = Fpage.Obj(CapSel.FromIndex(20), CapRights.RWS).Raw;
        Assert.That(at.Send(CapSel.FromIndex(10), new MsgTag(0, 0, 1, 0), TimeoutPair.SendZero).HasError, Is.False);
        Assert.That(b.Caps!.Lookup(40), Is.Null, "no capability was mapped");
        Assert.That(bt.Utcb.Mr[0] & 6, Is.EqualTo((ulong)ReturnItemType.Id));
        Assert.That(bt.Utcb.Mr[1], Is.EqualTo(0x500UL | 3), "the gate label with the sender's W and S");
    }

    [Test]
    public void Forwarding_buffer_maps_into_another_task_named_by_the_receiver()
    {
        var f = new Fixture();
        var (a, at) = f.HostTask("a");
        var (b, bt) = f.HostTask("b");
        var c = f.Root.CreateTask("c");
        a.Attach(new Memory.Dataspace(4096, "p"), 0x10000, MemRights.RW);
        a.InsertCapability(10, bt);
        b.InsertCapability(30, c, CapRights.RW);
        bt.Utcb.Bdr = default;
        bt.Utcb.Br[0] = BufItem.Map(forwardMappings: true).Raw;
        bt.Utcb.Br[1] = Fpage.All.Raw;
        bt.Utcb.Br[2] = CapSel.FromIndex(30).Raw;
        Assert.That(bt.Wait().IsBlocked, Is.True);
        at.Utcb.Mr[0] = SndItem.Map(0x90000).Raw;
        at.Utcb.Mr[1] = Fpage.Memory(0x10000, 12, MemRights.R).Raw;
        Assert.That(at.Send(CapSel.FromIndex(10), new MsgTag(0, 0, 1, 0), TimeoutPair.SendZero).HasError, Is.False);
        Assert.That(c.Memory.TryTranslate(0x90000, out _), Is.True);
        Assert.That(b.Memory.TryTranslate(0x90000, out _), Is.False);
    }

    [Test]
    public void Io_item_is_received_into_an_io_buffer()
    {
        var f = new Fixture();
        var (a, at) = f.HostTask("a");
        var (b, bt) = f.HostTask("b");
        a.Map(f.Kernel.Sigma0, Fpage.Io(0x60, 2), 0x60UL << 12);
        a.InsertCapability(10, bt);
        bt.Utcb.Bdr = new BufDesc(0, 0, 0);
        bt.Utcb.Br[0] = BufItem.Map().Raw;
        bt.Utcb.Br[1] = Fpage.Io(0, Fpage.WholeIoSpace).Raw;
        Assert.That(bt.Wait().IsBlocked, Is.True);
        at.Utcb.Mr[0] = SndItem.Map(0x60UL << 12).Raw;
        at.Utcb.Mr[1] = Fpage.Io(0x60, 1).Raw;
        Assert.That(at.Send(CapSel.FromIndex(10), new MsgTag(0, 0, 1, 0), TimeoutPair.SendZero).HasError, Is.False);
        Assert.That(b.IoPorts!.HasPort(0x60) && b.IoPorts.HasPort(0x61) && !b.IoPorts.HasPort(0x62), Is.True);
    }

    [Test]
    public void Empty_map_is_reported_in_the_received_item()
    {
        var f = new Fixture();
        var (a, at) = f.HostTask("a");
        var (_, bt) = f.HostTask("b");
        a.InsertCapability(10, bt);
        L4Sys.ReceiveMemory(bt.Utcb, Fpage.All);
        Assert.That(bt.Wait().IsBlocked, Is.True);
        at.Utcb.Mr[0] = SndItem.Map(0).Raw;
        at.Utcb.Mr[1] = Fpage.Memory(0x5000_0000, 12, MemRights.R).Raw; // nothing mapped there
        Assert.That(at.Send(CapSel.FromIndex(10), new MsgTag(0, 0, 1, 0), TimeoutPair.SendZero).HasError, Is.False);
        Assert.That(bt.Utcb.Mr[0] & 6, Is.EqualTo((ulong)ReturnItemType.MapNothing));
    }
}
