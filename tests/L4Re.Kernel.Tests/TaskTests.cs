using L4Re.Kernel.Abi;
using L4Re.Kernel.Memory;
using L4Re.Kernel.Native;
using L4Re.Kernel.Objects;

namespace L4Re.Kernel.Tests;

public class TaskTests
{
    private static readonly CapSel Self = CapSel.FromBoot(BootCap.Task);

    [Test]
    public void Task_map_copies_a_capability_and_needs_w_on_the_destination()
    {
        var f = new Fixture();
        var (a, at) = f.HostTask("a");
        var b = f.Root.CreateTask("b");
        a.InsertCapability(20, b, CapRights.RWS);
        var gate = f.Root.CreateGate();
        a.InsertCapability(21, gate);
        var r = at.Call(CapSel.FromIndex(20), L4Sys.TaskMap(at.Utcb, Self, Fpage.Obj(CapSel.FromIndex(21), CapRights.RWS), 5UL << 12));
        Assert.That(r.Tag.Label, Is.Zero, r.ToString());
        Assert.That(b.Caps!.Lookup(5)!.Value.Object, Is.SameAs(gate));
        a.InsertCapability(22, b, CapRights.R);
        r = at.Call(CapSel.FromIndex(22), L4Sys.TaskMap(at.Utcb, Self, Fpage.Obj(CapSel.FromIndex(21), CapRights.RWS), 6UL << 12));
        Assert.That(r.ResultError, Is.EqualTo(L4Error.Perm));
    }

    [Test]
    public void S_survives_a_task_map_only_when_the_source_capability_has_it()
    {
        var f = new Fixture();
        var (a, at) = f.HostTask("a");
        var b = f.Root.CreateTask("b");
        a.InsertCapability(20, b, CapRights.RWS);
        a.InsertCapability(21, f.Root.CreateGate(), CapRights.RWSD);
        a.InsertCapability(23, a, CapRights.RW); // source task capability without S
        at.Call(CapSel.FromIndex(20), L4Sys.TaskMap(at.Utcb, CapSel.FromIndex(23), Fpage.Obj(CapSel.FromIndex(21), CapRights.RWSD), 5UL << 12));
        Assert.That(b.Caps!.Lookup(5)!.Value.Rights, Is.EqualTo(CapRights.RWD));
    }

    [Test]
    public void Task_map_without_source_item_is_einval_and_a_memory_item_is_msgcut()
    {
        var f = new Fixture();
        var (a, at) = f.HostTask("a");
        at.Utcb.Mr[0] = (ulong)TaskOp.Map;
        Assert.That(at.Call(Self, MsgTag.Of(ProtocolLabel.Task, 3)).ResultError, Is.EqualTo(L4Error.Inval));
        L4Sys.TaskMap(at.Utcb, Self, Fpage.Obj(CapSel.FromIndex(1)), 0);
        at.Utcb.Mr[4] = Fpage.Memory(0, 12, MemRights.R).Raw;
        Assert.That(at.Call(Self, MsgTag.Of(ProtocolLabel.Task, 3, 1)).ErrorCode, Is.EqualTo(IpcErrorCode.SeMsgCut));
    }

    [Test]
    public void Cap_info_validity_and_equality()
    {
        var f = new Fixture();
        var (a, at) = f.HostTask("a");
        a.InsertCapability(30, f.Kernel.Log, CapRights.RW);
        a.InsertCapability(31, f.Kernel.Log, CapRights.RW);
        a.InsertCapability(32, f.Kernel.Log, CapRights.RWS);
        Assert.That(at.Call(Self, L4Sys.TaskCapValid(at.Utcb, CapSel.FromIndex(30))).Tag.Label, Is.EqualTo(1));
        Assert.That(at.Call(Self, L4Sys.TaskCapValid(at.Utcb, CapSel.FromIndex(33))).Tag.Label, Is.Zero);
        Assert.That(at.Call(Self, L4Sys.TaskCapValid(at.Utcb, CapSel.Invalid)).Tag.Label, Is.Zero);
        Assert.That(at.Call(Self, L4Sys.TaskCapEqual(at.Utcb, CapSel.FromIndex(30), CapSel.FromIndex(31))).Tag.Label, Is.EqualTo(1));
        Assert.That(at.Call(Self, L4Sys.TaskCapEqual(at.Utcb, CapSel.FromIndex(30), CapSel.FromIndex(32))).Tag.Label, Is.Zero);
        at.Utcb.Mr[0] = (ulong)TaskOp.CapInfo;
        Assert.That(at.Call(Self, MsgTag.Of(ProtocolLabel.Task, 4)).ResultError, Is.EqualTo(L4Error.Inval));
    }

    [Test]
    public void Unknown_task_op_is_nosys_and_wrong_label_is_badproto()
    {
        var f = new Fixture();
        var (_, at) = f.HostTask("a");
        at.Utcb.Mr[0] = 77;
        Assert.That(at.Call(Self, MsgTag.Of(ProtocolLabel.Task, 1)).ResultError, Is.EqualTo(L4Error.NoSys));
                Assert.That(at.Call(Self, MsgTag.Of(ProtocolLabel.Factory, 1)).ResultError, Is.EqualTo(L4Error.BadProto));
    }

    [Test]
    public void Unmap_of_an_object_capability_with_delete_deletes_the_object()
    {
        var f = new Fixture();
        var (a, at) = f.HostTask("a");
        var (b, _) = f.HostTask("b");
        var gate = f.Root.CreateGate();
        a.InsertCapability(20, gate, CapRights.RWSD);
        b.InsertCapability(20, gate, CapRights.RW);
        at.Call(Self, L4Sys.TaskUnmap(at.Utcb, Fpage.Obj(CapSel.FromIndex(20), 0, CapRights.RWSD), UnmapFlags.DeleteObj));
        Assert.That(gate.IsDeleted, Is.True);
        Assert.That(b.Caps!.Lookup(20), Is.Null, "every capability to a deleted object is gone");
    }

    [Test]
    public void Unmap_all_spaces_of_one_counted_capability_keeps_the_object_alive_while_others_remain()
    {
        var f = new Fixture();
        var (a, at) = f.HostTask("a");
        var (b, _) = f.HostTask("b");
        var gate = f.Root.CreateGate();
        a.InsertCapability(20, gate, CapRights.RWS);
        b.InsertCapability(20, gate, CapRights.RW);
        at.Call(Self, L4Sys.TaskUnmap(at.Utcb, Fpage.Obj(CapSel.FromIndex(20), 0, CapRights.RWSD), UnmapFlags.AllSpaces));
        Assert.That(a.Caps!.Lookup(20), Is.Null);
        Assert.That(gate.IsDeleted, Is.False);
        MapOperations.RemoveCap(b.Caps!, 20, delete: false);
        Assert.That(gate.IsDeleted, Is.True, "the last counted capability went away");
    }

    [Test]
    public void Object_unmap_without_all_spaces_does_nothing_and_w_only_reduces_rights()
    {
        var f = new Fixture();
        var (a, at) = f.HostTask("a");
        a.InsertCapability(20, f.Root.CreateGate(), CapRights.RWS);
        at.Call(Self, L4Sys.TaskUnmap(at.Utcb, Fpage.Obj(CapSel.FromIndex(20), 0, CapRights.RWSD), UnmapFlags.OtherSpaces));
        Assert.That(a.Caps!.Lookup(20), Is.Not.Null);
        at.Call(Self, L4Sys.TaskUnmap(at.Utcb, Fpage.Obj(CapSel.FromIndex(20), 0, CapRights.W), UnmapFlags.AllSpaces));
        Assert.That(a.Caps!.Lookup(20)!.Value.Rights, Is.EqualTo(CapRights.RS));
    }

    [Test]
    public void Deleting_a_task_deletes_objects_it_held_with_d()
    {
        var f = new Fixture();
        var (a, _) = f.HostTask("a");
        var owned = f.Root.CreateGate();
        var shared = f.Root.CreateGate();
        a.InsertCapability(20, owned, CapRights.RWSD);
        a.InsertCapability(21, shared, CapRights.RWS);
        var (b, _) = f.HostTask("b");
        b.InsertCapability(21, shared, CapRights.RWS);
        a.DeleteObject();
        Assert.That(owned.IsDeleted, Is.True);
        Assert.That(shared.IsDeleted, Is.False);
    }

    [Test]
    public void Overmapping_a_slot_with_a_d_capability_deletes_that_object()
    {
        var f = new Fixture();
        var (a, _) = f.HostTask("a");
        var old = f.Root.CreateGate();
        var other = f.Root.CreateGate();
        a.InsertCapability(20, old, CapRights.RWSD);
        a.InsertCapability(21, other, CapRights.RWS);
        a.Map(a, Fpage.Obj(CapSel.FromIndex(21), CapRights.RWS), 20UL << 12);
        Assert.That(old.IsDeleted, Is.True);
        Assert.That(a.Caps!.Lookup(20)!.Value.Object, Is.SameAs(other));
    }

    [Test]
    public void Weak_reference_does_not_keep_an_object_alive()
    {
        var f = new Fixture();
        var (a, _) = f.HostTask("a");
        var (b, _) = f.HostTask("b");
        var gate = f.Root.CreateGate();
        a.InsertCapability(20, gate, CapRights.RWS);
        b.Map(a, Fpage.Obj(CapSel.FromIndex(20), CapRights.RWS), SndItem.MapObj(20UL << 12, attributes: SndItem.WeakRef));
        Assert.That(b.Caps!.Lookup(20)!.Value.IsCounted, Is.False);
        MapOperations.RemoveCap(a.Caps!, 20, delete: false);
        Assert.That(gate.IsDeleted, Is.True);
        Assert.That(b.Caps!.Lookup(20), Is.Null);
    }

    [Test]
    public void Grant_of_a_capability_moves_it()
    {
        var f = new Fixture();
        var (a, _) = f.HostTask("a");
        var (b, _) = f.HostTask("b");
        var gate = f.Root.CreateGate();
        a.InsertCapability(20, gate, CapRights.RWS);
        b.Map(a, Fpage.Obj(CapSel.FromIndex(20), CapRights.RWS), 7UL << 12, grant: true);
        Assert.That(a.Caps!.Lookup(20), Is.Null);
        Assert.That(b.Caps!.Lookup(7)!.Value.Object, Is.SameAs(gate));
        Assert.That(gate.IsDeleted, Is.False);
    }

    [Test]
    public void Vm_has_only_memory_and_ignores_object_maps()
    {
        var f = new Fixture();
        var (a, _) = f.HostTask("a");
        var vm = f.Root.CreateVm("guest");
        a.InsertCapability(20, f.Root.CreateGate());
        Assert.That(vm.Map(a, Fpage.Obj(CapSel.FromIndex(20)), 0).IsEmptyMap || vm.Caps is null, Is.True);
        Assert.That(vm.Caps, Is.Null);
        Assert.That(vm.IoPorts, Is.Null);
        var ram = new Dataspace(2 * 4096, "guest-ram");
        a.Attach(ram, 0x100000, MemRights.RWX);
        Assert.That(vm.Map(a, Fpage.Memory(0x100000, 13, MemRights.RWX), 0).IsOk, Is.True);
        Assert.That(vm.Memory.TryTranslate(0x1004, out var t), Is.True);
        Assert.That(t.Dataspace, Is.SameAs(ram));
        Assert.That(t.Offset, Is.EqualTo(0x1004));
        ram.Span[0x1004] = 0x5a;
        Assert.That(t.Page[4], Is.EqualTo(0x5a), "translation gives the host memory itself");
    }

    [Test]
    public void Vm_generation_changes_on_unmap_only()
    {
        var f = new Fixture();
        var (a, _) = f.HostTask("a");
        var vm = f.Root.CreateVm();
        a.Attach(new Dataspace(4 * 4096, "r"), 0x100000, MemRights.RWX);
        var g0 = vm.Memory.Generation;
        vm.Map(a, Fpage.Memory(0x100000, 14, MemRights.RWX), 0);
        Assert.That(vm.Memory.Generation, Is.EqualTo(g0), "new mappings do not invalidate cached translations");
        a.Unmap(Fpage.Memory(0x101000, 12, MemRights.RWX), UnmapFlags.OtherSpaces);
        Assert.That(vm.Memory.Generation, Is.GreaterThan(g0));
        Assert.That(vm.Memory.TryTranslate(0x1000, out _), Is.False);
        Assert.That(vm.Memory.TryTranslate(0x2000, out _), Is.True);
    }

    [Test]
    public void Dma_space_is_bound_to_a_source_id_through_the_iommu()
    {
        var f = new Fixture();
        var (a, at) = f.HostTask("a");
        var dma = f.Root.CreateDmaSpace("vbus0");
        a.InsertCapability(20, dma);
        a.InsertCapability(21, f.Kernel.Iommu, CapRights.RWS);
        var r = at.Call(CapSel.FromIndex(21), L4Sys.IommuBind(at.Utcb, 0x42, CapSel.FromIndex(20)));
        Assert.That(r.Tag.Label, Is.Zero);
        Assert.That(f.Kernel.Iommu.Lookup(0x42), Is.SameAs(dma));
        Assert.That(dma.BoundSourceIds, Is.EquivalentTo(new ulong[] { 0x42 }));
        var buf = new Dataspace(4096, "dma-buf");
        a.Attach(buf, 0x200000, MemRights.RW);
        at.Call(CapSel.FromIndex(20), L4Sys.TaskMap(at.Utcb, Self, Fpage.Memory(0x200000, 12, MemRights.RW), 0x8000));
        Assert.That(f.Kernel.Iommu.Lookup(0x42)!.Memory.TryTranslate(0x8010, out var t), Is.True);
        Assert.That(t.Dataspace, Is.SameAs(buf));
        Assert.That(f.Kernel.Iommu.Lookup(0x43), Is.Null, "an unbound device may not master the bus");
        r = at.Call(CapSel.FromIndex(21), L4Sys.IommuBind(at.Utcb, 0x42, CapSel.FromIndex(20), unbind: true));
        Assert.That(r.Tag.Label, Is.Zero);
        Assert.That(f.Kernel.Iommu.Lookup(0x42), Is.Null);
    }

    [Test]
    public void Io_ports_are_mapped_and_revoked_like_memory()
    {
        var f = new Fixture();
        var (a, _) = f.HostTask("a");
        var (b, _) = f.HostTask("b");
        Assert.That(a.Map(f.Kernel.Sigma0, Fpage.Io(0x3f8, 3), 0x3f8UL << 12).IsOk, Is.True, "the send base positions the ports");
        Assert.That(a.IoPorts!.HasPort(0x3f8) && a.IoPorts.HasPort(0x3ff) && !a.IoPorts.HasPort(0x400), Is.True);
        b.Map(a, Fpage.Io(0x3f8, 1), 0x3f8UL << 12);
        Assert.That(b.IoPorts!.HasPort(0x3f8) && b.IoPorts.HasPort(0x3f9) && !b.IoPorts.HasPort(0x3fa), Is.True);
        a.Unmap(Fpage.Io(0x3f8, 3), UnmapFlags.OtherSpaces);
        Assert.That(b.IoPorts.HasPort(0x3f8), Is.False);
        Assert.That(a.IoPorts.HasPort(0x3f8), Is.True);
    }
}

public class VmAttachTests
{
    [Test]
    public void Vm_attach_maps_guest_ram_directly_and_a_timer_can_unmap_it_later()
    {
        var k = new Microkernel();
        var vm = k.RootFactory.CreateVm("guest");
        var ram = new Dataspace(64 * 4096, "guest-ram");
        vm.Attach(ram, 0, MemRights.RWX);
        Assert.That(vm.Memory.TryTranslate(0x3f123, out var t), Is.True);
        Assert.That(t.Dataspace, Is.SameAs(ram));
        Assert.That(t.Offset, Is.EqualTo(0x3f123));
        Assert.That(vm.Memory.TryTranslate(0x40000, out _), Is.False, "beyond the 256 KiB of guest RAM");
        var g = vm.Memory.Generation;
        k.ArmTimer(new Scheduling.ActionTimer(() => vm.Unmap(Fpage.Memory(0x10000, 12, MemRights.RWX), UnmapFlags.AllSpaces)), 5_000);
        Assert.That(k.Run(), Is.EqualTo(RunOutcome.Idle));
        Assert.That(k.Now, Is.EqualTo(5_000));
        Assert.That(vm.Memory.TryTranslate(0x10000, out _), Is.False);
        Assert.That(vm.Memory.Generation, Is.GreaterThan(g));
    }
}
