using FsCheck;
using FsCheck.Fluent;
using L4Re.Kernel.Abi;
using L4Re.Kernel.Native;
using L4Re.Kernel.Objects;

namespace L4Re.Kernel.Tests;

/// <summary>
/// Model-based test of capability spaces and factory quotas: random sequences of create, map, grant,
/// IPC transfer, unmap and delete against a reference model of Fiasco's object-capability rules.
/// Properties: every task's capability space equals the model (so no task reaches an object it holds
/// no capability for, and rights never grow); an empty slot answers not-existent; quota is conserved
/// and no factory exceeds its limit.
/// </summary>
public class CapabilityModelTests
{
    internal const int Tasks = 4;
    internal const int FirstSlot = 8;
    internal const int Slots = 16;
    private const ulong TaskCaps = 24;       // RWS capabilities to the tasks
    private const ulong TaskCapsNoS = 28;    // RW capabilities to the tasks
    private const ulong ThreadCaps = 32;     // RW capabilities to the threads
    private const ulong ThreadCapsS = 36;    // RWS capabilities to the threads

    public enum Kind
    {
        Create,
        CreateFactory,
        Map,
        Ipc,
        Unmap,
        Probe,
    }

    public readonly record struct Op(Kind Kind, int Src, int SrcSlot, int Dst, int DstSlot, byte Rights, byte Flags, int Arg)
    {
        public override string ToString() => $"{Kind}(t{Src}:{SrcSlot} -> t{Dst}:{DstSlot} r={Rights:x} f={Flags:x} a={Arg})";
    }

    internal static Gen<Op> OpGen =>
        from kind in Gen.Frequency((3, Gen.Constant(Kind.Create)), (1, Gen.Constant(Kind.CreateFactory)), (6, Gen.Constant(Kind.Map)),
            (3, Gen.Constant(Kind.Ipc)), (4, Gen.Constant(Kind.Unmap)), (2, Gen.Constant(Kind.Probe)))
        from src in Gen.Choose(0, Tasks - 1)
        from ss in Gen.Choose(0, Slots - 1)
        from dst in Gen.Choose(0, Tasks - 1)
        from ds in Gen.Choose(0, Slots - 1)
        from rights in Gen.Choose(0, 15)
        from flags in Gen.Choose(0, 63)
        from arg in Gen.Choose(0, 7)
        select new Op(kind, src, ss, dst, ds, (byte)rights, (byte)flags, arg);

    public static class Arbitraries
    {
        public static Arbitrary<Op[]> Ops() => Gen.ArrayOf(OpGen, 200).ToArbitrary();
    }

    private sealed class Model
    {
        public readonly Dictionary<(int Task, ulong Slot), (KernelObject Obj, byte Attr)> Caps = [];

        public bool Counted(KernelObject o) => Caps.Values.Any(v => ReferenceEquals(v.Obj, o) && (v.Attr & 0x10) != 0);

        public void Remove(int t, ulong slot, bool delete)
        {
            if (!Caps.Remove((t, slot), out var e))
                return;
            if ((delete && (e.Attr & (byte)CapRights.D) != 0) || ((e.Attr & 0x10) != 0 && !Counted(e.Obj)))
                DeleteObject(e.Obj);
        }

        public void DeleteObject(KernelObject o)
        {
            foreach (var k in Caps.Where(kv => ReferenceEquals(kv.Value.Obj, o)).Select(kv => kv.Key).ToList())
                Caps.Remove(k);
        }

        /// <summary>Fiasco obj_map for one slot.</summary>
        public void Map(int s, ulong si, int d, ulong di, byte fpRights, byte ctlAttr, bool grant)
        {
            if (!Caps.TryGetValue((s, si), out var e))
                return;
            var mapAttr = (byte)((fpRights & 0xf) | ((0x10 ^ ctlAttr) & 0xf0));
            var iAttr = (byte)(e.Attr & mapAttr);
            if ((iAttr & (byte)CapRights.R) == 0)
                return;
            if (Caps.ContainsKey((d, di)))
            {
                var same = s == d && si == di;
                Remove(d, di, delete: true);
                if (same)
                    return;
            }
            if (!Caps.Values.Any(v => ReferenceEquals(v.Obj, e.Obj)) && !grant && !Caps.ContainsKey((s, si)))
                return;
            if (!Caps.ContainsKey((s, si)))
                return; // the object was deleted by the overmap
            Caps[(d, di)] = (e.Obj, iAttr);
            if (grant)
            {
                Caps.Remove((s, si));
                if (!Counted(e.Obj))
                    DeleteObject(e.Obj);
            }
        }
    }

    private sealed class World
    {
        public readonly Fixture F = new(new KernelOptions { Trace = false });
        public readonly L4Task[] Tasks = new L4Task[CapabilityModelTests.Tasks];
        public readonly L4Thread[] Threads = new L4Thread[CapabilityModelTests.Tasks];
        public readonly Model Model = new();

        public World()
        {
            for (var i = 0; i < Tasks.Length; i++)
                (Tasks[i], Threads[i]) = F.HostTask($"t{i}");
            for (var i = 0; i < Tasks.Length; i++)
            {
                for (var j = 0; j < Tasks.Length; j++)
                {
                    Tasks[i].InsertCapability(TaskCaps + (ulong)j, Tasks[j], CapRights.RWS, objectRights: 0);
                    Tasks[i].InsertCapability(TaskCapsNoS + (ulong)j, Tasks[j], CapRights.RW, objectRights: 0);
                    Tasks[i].InsertCapability(ThreadCaps + (ulong)j, Threads[j], CapRights.RW, objectRights: 0);
                    Tasks[i].InsertCapability(ThreadCapsS + (ulong)j, Threads[j], CapRights.RWS, objectRights: 0);
                }
            }
        }

        public string? Compare()
        {
            for (var t = 0; t < Tasks.Length; t++)
            {
                for (ulong s = FirstSlot; s < FirstSlot + Slots; s++)
                {
                    var k = Tasks[t].Caps!.Lookup(s);
                    var has = Model.Caps.TryGetValue((t, s), out var m);
                    if (k is null && !has)
                        continue;
                    if (k is null || !has)
                        return $"t{t} slot {s}: kernel {(k is null ? "empty" : k.Value.Object.ToString())}, model {(has ? m.Obj.ToString() : "empty")}";
                    if (!ReferenceEquals(k.Value.Object, m.Obj) || (byte)k.Value.Rights != (m.Attr & 0xf) || k.Value.IsCounted != ((m.Attr & 0x10) != 0))
                        return $"t{t} slot {s}: kernel {k.Value.Object} {k.Value.Rights} counted={k.Value.IsCounted}, model {m.Obj} {(CapRights)(m.Attr & 0xf)} counted={(m.Attr & 0x10) != 0}";
                    if (k.Value.Object.IsDeleted)
                        return $"t{t} slot {s}: capability to deleted {k.Value.Object}";
                }
            }
            return QuotaAudit.Check(F.Kernel);
        }
    }

    private static ulong Slot(int i) => FirstSlot + (ulong)i;

    private static string? Step(World w, Op op)
    {
        var t = w.Threads[op.Src];
        var u = t.Utcb;
        switch (op.Kind)
        {
            case Kind.Create:
            {
                var kinds = new[] { ProtocolLabel.KObject, ProtocolLabel.IrqSender, ProtocolLabel.Semaphore, ProtocolLabel.Thread };
                var kind = kinds[op.Arg % kinds.Length];
                // Use a child factory from a playground slot when the argument says so, else the root factory.
                var factory = op.Arg >= 4 ? new CapSel(Slot(op.SrcSlot) << 12) : CapSel.FromBoot(BootCap.Factory);
                var target = Slot(op.DstSlot);
                var r = t.Call(factory, L4Sys.FactoryCreate(u, kind, CapSel.FromIndex(target)), TimeoutPair.BothZero);
                if (r.IsBlocked)
                    return "factory call blocked";
                if (!r.HasError && r.Tag.Label == 0)
                {
                    // The created object replaced the slot (an old D capability there was deleted first).
                    var created = w.Tasks[op.Src].Caps!.Lookup(target)!.Value.Object;
                    if (w.Model.Caps.ContainsKey((op.Src, target)))
                        w.Model.Remove(op.Src, target, delete: true);
                    w.Model.Caps[(op.Src, target)] = (created, 0xff);
                }
                return null;
            }
            case Kind.CreateFactory:
            {
                var target = Slot(op.DstSlot);
                var r = t.Call(CapSel.FromBoot(BootCap.Factory), L4Sys.FactoryCreateFactory(u, CapSel.FromIndex(target), (ulong)(op.Flags * 512)));
                if (!r.HasError && r.Tag.Label == 0)
                {
                    var created = w.Tasks[op.Src].Caps!.Lookup(target)!.Value.Object;
                    if (w.Model.Caps.ContainsKey((op.Src, target)))
                        w.Model.Remove(op.Src, target, delete: true);
                    w.Model.Caps[(op.Src, target)] = (created, 0xff);
                }
                return null;
            }
            case Kind.Map:
            {
                // Task map through the destination's task capability (with or without S), source = self.
                var viaNoS = (op.Flags & 1) != 0;
                var grant = (op.Flags & 2) != 0;
                var attr = (byte)(op.Flags & 0x30);
                var dest = new CapSel(((viaNoS ? TaskCapsNoS : TaskCaps) + (ulong)op.Dst) << 12);
                var fp = Fpage.Obj(CapSel.FromIndex(Slot(op.SrcSlot)), 0, (CapRights)op.Rights);
                var r = t.Call(dest, L4Sys.TaskMap(u, CapSel.FromBoot(BootCap.Task), fp, SndItem.MapObj(Slot(op.DstSlot) << 12, grant, attr)));
                if (r.HasError || r.Tag.Label != 0)
                    return $"task map failed: {r}";
                // sys_map: for object flexpages S survives only when the invoked destination capability has S.
                var mask = (byte)((viaNoS ? (byte)CapRights.RW : (byte)CapRights.RWS) | (byte)CapRights.D | (byte)CapRights.RW);
                w.Model.Map(op.Src, Slot(op.SrcSlot), op.Dst, Slot(op.DstSlot), (byte)(op.Rights & mask), attr, grant);
                return null;
            }
            case Kind.Ipc:
            {
                if (op.Src == op.Dst)
                    return null;
                var rcv = w.Threads[op.Dst];
                L4Sys.ReceiveCapability(rcv.Utcb, CapSel.FromIndex(Slot(op.DstSlot)));
                var wr = rcv.Wait();
                if (!wr.IsBlocked)
                    return $"receiver did not block: {wr}";
                var viaS = (op.Flags & 1) != 0;
                u.Mr[0] = SndItem.MapObj(0, (op.Flags & 2) != 0).Raw;
                u.Mr[1] = Fpage.Obj(CapSel.FromIndex(Slot(op.SrcSlot)), 0, (CapRights)op.Rights).Raw;
                var dest = new CapSel(((viaS ? ThreadCapsS : ThreadCaps) + (ulong)op.Dst) << 12);
                var r = t.Send(dest, new MsgTag(0, 0, 1, 0), TimeoutPair.BothZero);
                if (r.HasError || !rcv.SysDone)
                    return $"IPC transfer failed: {r} / {rcv.LastResult}";
                // transfer_msg_items: object rights are masked with (sending capability's rights | RW | D).
                var mask = (byte)((viaS ? (byte)CapRights.RWS : (byte)CapRights.RW) | (byte)CapRights.RW | (byte)CapRights.D);
                w.Model.Map(op.Src, Slot(op.SrcSlot), op.Dst, Slot(op.DstSlot), (byte)(op.Rights & mask), 0, (op.Flags & 2) != 0);
                return null;
            }
            case Kind.Unmap:
            {
                var flags = (op.Flags & 3) switch
                {
                    0 => UnmapFlags.OtherSpaces,
                    1 => UnmapFlags.AllSpaces,
                    2 => UnmapFlags.DeleteObj,
                    _ => UnmapFlags.DeleteBit,
                };
                var r = t.Call(CapSel.FromBoot(BootCap.Task), L4Sys.TaskUnmap(u, Fpage.Obj(CapSel.FromIndex(Slot(op.SrcSlot)), 0, (CapRights)op.Rights), flags));
                if (r.HasError || r.Tag.Label != 0)
                    return $"unmap failed: {r}";
                if ((flags & UnmapFlags.AllSpaces) != 0 && w.Model.Caps.TryGetValue((op.Src, Slot(op.SrcSlot)), out var e))
                {
                    if ((op.Rights & (byte)CapRights.R) != 0)
                        w.Model.Remove(op.Src, Slot(op.SrcSlot), (flags & UnmapFlags.DeleteBit) != 0);
                    else
                        w.Model.Caps[(op.Src, Slot(op.SrcSlot))] = (e.Obj, (byte)(e.Attr & ~(op.Rights & 3)));
                }
                return null;
            }
            default:
            {
                // Reaching a slot: an empty one must answer "not existent", a full one anything else.
                var slot = Slot(op.SrcSlot);
                var r = t.Send(CapSel.FromIndex(slot), MsgTag.Of(ProtocolLabel.None, 0), TimeoutPair.BothZero);
                var empty = !w.Model.Caps.TryGetValue((op.Src, slot), out var m);
                if (r.IsBlocked)
                    return "probe blocked";
                // IPC to an unbound thread is also "not existent", as in Fiasco.
                var unboundThread = !empty && m.Obj is L4Thread { Task: null };
                if (!unboundThread && empty != (r.ErrorCode == IpcErrorCode.NotExistent))
                    return $"probe of t{op.Src} slot {slot}: model empty={empty}, kernel {r}";
                return null;
            }
        }
    }

    [FsCheck.NUnit.Property(MaxTest = 250, Replay = "(20260131,7)", Arbitrary = [typeof(Arbitraries)])]
    public Property Capability_spaces_follow_the_model_and_quota_is_conserved(Op[] ops)
    {
        var w = new World();
        for (var i = 0; i < ops.Length; i++)
        {
            string? err;
            try
            {
                err = Step(w, ops[i]) ?? w.Compare();
            }
            catch (Exception e)
            {
                err = $"exception {e}";
            }
            if (err is not null)
                return false.Label($"step {i} {ops[i]}: {err}");
        }
        return true.ToProperty();
    }
}
