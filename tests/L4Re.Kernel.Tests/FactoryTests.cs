using L4Re.Kernel.Abi;
using L4Re.Kernel.Native;
using L4Re.Kernel.Objects;

namespace L4Re.Kernel.Tests;

public class FactoryTests
{
    private static readonly CapSel FactoryCap = CapSel.FromBoot(BootCap.Factory);

    [TestCase(ProtocolLabel.Task, typeof(L4Task))]
    [TestCase(ProtocolLabel.Thread, typeof(L4Thread))]
    [TestCase(ProtocolLabel.IrqSender, typeof(Irq))]
    [TestCase(ProtocolLabel.Semaphore, typeof(L4Semaphore))]
    [TestCase(ProtocolLabel.Vm, typeof(Vm))]
    [TestCase(ProtocolLabel.DmaSpace, typeof(DmaSpace))]
    [TestCase(ProtocolLabel.VcpuContext, typeof(VcpuContext))]
    [TestCase(ProtocolLabel.KObject, typeof(IpcGate))]
    [TestCase(ProtocolLabel.None, typeof(IpcGate))]
    public void Creates_every_kind_from_the_label_in_mr0(ProtocolLabel kind, Type type)
    {
        var f = new Fixture();
        var (task, t) = f.HostTask("a");
        var tag = kind == ProtocolLabel.Task
            ? L4Sys.FactoryCreateTask(t.Utcb, CapSel.FromIndex(40), Fpage.Invalid)
            : L4Sys.FactoryCreate(t.Utcb, kind, CapSel.FromIndex(40));
        var r = t.Call(FactoryCap, tag);
        Assert.That(r.HasError, Is.False, r.ToString());
        Assert.That(r.Tag.Label, Is.Zero);
        Assert.That(r.Tag.Items, Is.EqualTo(1u));
        var cap = task.Caps!.Lookup(40);
        Assert.That(cap?.Object, Is.InstanceOf(type));
        Assert.That(cap!.Value.Rights, Is.EqualTo(CapRights.RWSD));
        Assert.That(cap.Value.Object.Quota, Is.SameAs(f.Root));
    }

    [Test]
    public void Task_creation_returns_the_utcb_area()
    {
        var f = new Fixture();
        var (_, t) = f.HostTask("a");
        var area = Fpage.Memory(0x7000_0000, 14, MemRights.RW);
        var r = t.Call(FactoryCap, L4Sys.FactoryCreateTask(t.Utcb, CapSel.FromIndex(40), area));
        Assert.That(r.Tag.Words, Is.EqualTo(1u));
        Assert.That(t.Utcb.Mr[0], Is.EqualTo(area.Raw));
    }

    [Test]
    public void Task_creation_needs_three_words()
    {
        var f = new Fixture();
        var (_, t) = f.HostTask("a");
        var r = t.Call(FactoryCap, L4Sys.FactoryCreate(t.Utcb, ProtocolLabel.Task, CapSel.FromIndex(40)));
        Assert.That(r.ResultError, Is.EqualTo(L4Error.Inval));
    }

    [Test]
    public void Unknown_kind_is_nodev()
    {
        var f = new Fixture();
        var (_, t) = f.HostTask("a");
        var r = t.Call(FactoryCap, L4Sys.FactoryCreate(t.Utcb, ProtocolLabel.Log, CapSel.FromIndex(40)));
        Assert.That(r.ResultError, Is.EqualTo(L4Error.NoDev));
        t.Utcb.Mr[0] = 5;
        Assert.That(t.Call(FactoryCap, MsgTag.Of(ProtocolLabel.Factory, 1)).ResultError, Is.EqualTo(L4Error.NoDev));
    }

    [Test]
    public void Wrong_protocol_is_badproto_and_missing_s_is_eperm()
    {
        var f = new Fixture();
        var (task, t) = f.HostTask("a");
        L4Sys.FactoryCreate(t.Utcb, ProtocolLabel.Thread, CapSel.FromIndex(40));
        Assert.That(t.Call(FactoryCap, MsgTag.Of(ProtocolLabel.Task, 1)).ResultError, Is.EqualTo(L4Error.BadProto));
        task.InsertCapability(11, f.Root, CapRights.RW);
        Assert.That(t.Call(CapSel.FromIndex(11), MsgTag.Of(ProtocolLabel.Factory, 1)).ResultError, Is.EqualTo(L4Error.Perm));
    }

    [Test]
    public void Missing_receive_buffer_is_a_receive_message_cut()
    {
        var f = new Fixture();
        var (_, t) = f.HostTask("a");
        t.Utcb.Mr[0] = unchecked((ulong)(long)ProtocolLabel.Thread);
        t.Utcb.Br[0] = 0;
        var r = t.Call(FactoryCap, MsgTag.Of(ProtocolLabel.Factory, 1));
        Assert.That(r.ErrorCode, Is.EqualTo(IpcErrorCode.ReMsgCut));
    }

    [Test]
    public void Create_factory_charges_the_parent_and_deletion_refunds()
    {
        var f = new Fixture();
        var (task, t) = f.HostTask("a");
        var used = f.Root.Used;
        var r = t.Call(FactoryCap, L4Sys.FactoryCreateFactory(t.Utcb, CapSel.FromIndex(40), 100_000));
        Assert.That(r.HasError || r.Tag.Label != 0, Is.False, r.ToString());
        var child = (Factory)task.Caps!.Lookup(40)!.Value.Object;
        Assert.That(child.Limit, Is.EqualTo(100_000));
        Assert.That(f.Root.Used - used, Is.EqualTo(100_000 + ObjectSizes.Factory));
        // Objects created by the child are charged to it.
        task.InsertCapability(41, child);
        var r2 = t.Call(CapSel.FromIndex(41), L4Sys.FactoryCreate(t.Utcb, ProtocolLabel.Thread, CapSel.FromIndex(42)));
        Assert.That(r2.Tag.Label, Is.Zero);
        Assert.That(child.Used, Is.EqualTo(ObjectSizes.Thread));
        // Delete the child factory: its memory returns only after its thread is gone.
        t.Call(CapSel.FromBoot(BootCap.Task), L4Sys.TaskUnmap(t.Utcb, Fpage.Obj(CapSel.FromIndex(40), 1, CapRights.RWSD), UnmapFlags.DeleteObj));
        Assert.That(child.IsDeleted, Is.True);
        Assert.That(f.Root.Used - used, Is.EqualTo(100_000 + ObjectSizes.Factory), "the thread still holds quota");
        t.Call(CapSel.FromBoot(BootCap.Task), L4Sys.TaskUnmap(t.Utcb, Fpage.Obj(CapSel.FromIndex(42), 0, CapRights.RWSD), UnmapFlags.DeleteObj));
        Assert.That(child.Used, Is.Zero);
        Assert.That(f.Root.Used, Is.EqualTo(used), "everything refunded to the parent");
    }

    [Test]
    public void Exhausted_quota_gives_nomem_and_used_plus_free_is_the_limit()
    {
        var f = new Fixture();
        var (task, t) = f.HostTask("a");
        var small = f.Root.CreateFactory(ObjectSizes.Thread * 2 + 10);
        task.InsertCapability(41, small);
        for (var i = 0; i < 2; i++)
            Assert.That(t.Call(CapSel.FromIndex(41), L4Sys.FactoryCreate(t.Utcb, ProtocolLabel.Thread, CapSel.FromIndex(50 + (ulong)i))).Tag.Label, Is.Zero);
        var r = t.Call(CapSel.FromIndex(41), L4Sys.FactoryCreate(t.Utcb, ProtocolLabel.Thread, CapSel.FromIndex(60)));
        Assert.That(r.ResultError, Is.EqualTo(L4Error.NoMem));
        Assert.That(small.Used + small.Free, Is.EqualTo(small.Limit));
        Assert.That(small.Used, Is.LessThanOrEqualTo(small.Limit));
        Assert.That(task.Caps!.Lookup(60), Is.Null);
    }

    [Test]
    public void Create_factory_argument_count_is_checked()
    {
        var f = new Fixture();
        var (_, t) = f.HostTask("a");
        L4Sys.FactoryCreateFactory(t.Utcb, CapSel.FromIndex(40), 10);
        Assert.That(t.Call(FactoryCap, MsgTag.Of(ProtocolLabel.Factory, 2)).ResultError, Is.EqualTo(L4Error.MsgTooShort));
        Assert.That(t.Call(FactoryCap, MsgTag.Of(ProtocolLabel.Factory, 4)).ResultError, Is.EqualTo(L4Error.MsgTooLong));
    }

    [Test]
    public void Gate_creation_binds_a_thread_with_s_and_a_clean_label()
    {
        var f = new Fixture();
        var (task, t) = f.HostTask("a");
        var r = t.Call(FactoryCap, L4Sys.FactoryCreateGate(t.Utcb, CapSel.FromIndex(40), CapSel.FromBoot(BootCap.Thread), 0x50));
        Assert.That(r.Tag.Label, Is.Zero);
        var gate = (IpcGate)task.Caps!.Lookup(40)!.Value.Object;
        Assert.That(gate.Thread, Is.SameAs(t));
        Assert.That(gate.Label, Is.EqualTo(0x50UL));
        Assert.That(t.Call(FactoryCap, L4Sys.FactoryCreateGate(t.Utcb, CapSel.FromIndex(41), CapSel.FromBoot(BootCap.Thread), 0x51)).ResultError, Is.EqualTo(L4Error.Inval));
        task.InsertCapability(12, t, CapRights.RW);
        Assert.That(t.Call(FactoryCap, L4Sys.FactoryCreateGate(t.Utcb, CapSel.FromIndex(41), CapSel.FromIndex(12), 0x50)).ResultError, Is.EqualTo(L4Error.Perm));
    }

    [Test]
    public void Host_api_throws_l4_exception_on_exhausted_quota()
    {
        var f = new Fixture();
        var small = f.Root.CreateFactory(10);
        var e = Assert.Throws<L4Exception>(() => small.CreateTask());
        Assert.That(e!.Error, Is.EqualTo(L4Error.NoMem));
    }
}
