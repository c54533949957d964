using FsCheck;
using FsCheck.Fluent;
using L4Re.Kernel.Abi;
using L4Re.Kernel.Memory;
using L4Re.Kernel.Objects;

namespace L4Re.Kernel.Tests;

/// <summary>
/// Bad input: arbitrary words as capability selectors, message tags, typed items, opcodes, buffer
/// registers and timeouts, invoked on every kind of object. The kernel answers each with an L4 result
/// or a defined IPC error — never an exception out of the kernel — and stays consistent (quota audit,
/// empty slots answer not-existent, blocked threads can be canceled).
/// </summary>
public class BadInputTests
{
    public readonly record struct Invocation(ulong Selector, ulong Tag, uint Timeouts, ulong Label, ulong[] Mrs, ulong[] Brs, ulong Bdr)
    {
        public override string ToString() => $"sel=0x{Selector:x} tag={new MsgTag(Tag)} to=0x{Timeouts:x} mr0=0x{Mrs[0]:x} mr1=0x{Mrs[1]:x} mr2=0x{Mrs[2]:x}";
    }

    public static class Arbitraries
    {
        private static readonly long[] Labels =
        [
            0, -1, -2, -5, -6, -10, -11, -12, -13, -14, -15, -16, -17, -18, -20, -22, -25, 1, 77, -9999,
        ];

        private static Gen<ulong> Word =>
            Gen.Frequency(
                (3, Gen.Choose(0, 20).Select(x => (ulong)x)),
                (1, Gen.Elements(0x10UL, 0x11UL, 0x10000UL, 0x200000UL, 0x1000000UL, ~0UL, 0x8000_0000UL, 0xC000_0000UL)),
                (2, from slot in Gen.Choose(0, 40) from type in Gen.Choose(0, 3) from order in Gen.Choose(0, 20) from rights in Gen.Choose(0, 15)
                    select ((ulong)(uint)slot << 12) | ((ulong)(uint)type << 4) | ((ulong)(uint)order << 6) | (ulong)(uint)rights),
                (2, from slot in Gen.Choose(0, 40) from flags in Gen.Choose(0, 255) select ((ulong)(uint)slot << 12) | (ulong)(uint)flags),
                (2, from a in Gen.Choose(int.MinValue, int.MaxValue) from b in Gen.Choose(int.MinValue, int.MaxValue) select ((ulong)(uint)a << 32) | (uint)b));

        private static Gen<ulong> Selector =>
            Gen.Frequency(
                (6, from slot in Gen.Choose(0, 40) from flags in Gen.Choose(0, 15) select ((ulong)(uint)slot << 12) | (ulong)(uint)flags),
                (1, from flags in Gen.Choose(0, 15) select CapSel.Invalid.Raw | (ulong)(uint)flags),
                (1, from flags in Gen.Choose(0, 15) from slot in Gen.Choose(0, 3) select CapSel.ReplyBit | ((ulong)(uint)slot << 12) | (ulong)(uint)flags),
                (1, Word));

        private static Gen<ulong> Tag =>
            from label in Gen.Frequency((4, Gen.Elements(Labels)), (1, Gen.Choose(short.MinValue, short.MaxValue).Select(x => (long)x)))
            from words in Gen.Frequency((4, Gen.Choose(0, 8)), (1, Gen.Choose(0, 63)))
            from items in Gen.Frequency((4, Gen.Constant(0)), (3, Gen.Choose(1, 3)), (1, Gen.Choose(0, 63)))
            from flags in Gen.Elements(0u, 0u, 0x1000u, 0x2000u, 0x4000u, 0x8000u, 0xf000u)
            select new MsgTag(label, (uint)words, (uint)items, flags).Raw;

        private static Gen<uint> Timeouts =>
            Gen.Frequency(
                (3, Gen.Constant(TimeoutPair.BothZero.Raw)),
                (2, Gen.Elements(0u, 0x0400u, 0x0400_0000u, 0x0400_8002u, 0x8003_0400u)),
                (2, from s in Gen.Choose(0, 0xffff) from r in Gen.Choose(0, 0xffff) select ((uint)s << 16) | (uint)r));

        private static Gen<Invocation> InvocationGen =>
            from sel in Selector
            from tag in Tag
            from to in Timeouts
            from label in Word
            from mrs in Gen.ArrayOf(Word, 63)
            from brs in Gen.ArrayOf(Word, 58)
            from bdr in Gen.Elements(0UL, 1UL, 0x21UL, 0x400UL, ~0UL)
            select new Invocation(sel, tag, to, label, mrs, brs, bdr);

        public static Arbitrary<Invocation[]> Invocations() => Gen.ArrayOf(InvocationGen, 60).ToArbitrary();
    }

    private sealed class World
    {
        public readonly Fixture F = new(new KernelOptions { RootQuota = 8 << 20 });
        public readonly L4Task Task;
        public readonly L4Thread Thread;

        public World()
        {
            (Task, Thread) = F.HostTask("fuzzer");
            var server = new IncrementServer();
            var (_, st) = F.ServerTask("server", server);
            var (otherTask, otherThread) = F.HostTask("other");
            var (_, asyncServer) = F.ProgramTask("async-server", async ctx =>
            {
                var r = await ctx.Wait();
                while (true)
                    r = r.HasError ? await ctx.Wait() : await ctx.ReplyAndWait(new MsgTag(0, (uint)Math.Min(r.Tag.Words, 3), 0, 0));
            });
            var ram = new Dataspace(16 * 4096, "ram");
            Task.Attach(ram, 0x10000, MemRights.RWX);
            Task.InsertCapability(5, F.Kernel.Log, CapRights.RW);
            Task.InsertCapability(6, F.Kernel.Icu, CapRights.RWS);
            Task.InsertCapability(7, F.Kernel.Scheduler, CapRights.RWS);
            Task.InsertCapability(8, F.Kernel.Iommu, CapRights.RWS);
            Task.InsertCapability(10, F.Root.CreateGate(st, 0x40), CapRights.RWS);
            Task.InsertCapability(11, F.Root.CreateGate(), CapRights.RWSD);
            var irq = F.Root.CreateIrq();
            irq.Bind(Thread, 0x77);
            Task.InsertCapability(12, irq, CapRights.RWSD);
            Task.InsertCapability(13, F.Root.CreateSemaphore(), CapRights.RWSD);
            Task.InsertCapability(14, F.Root.CreateVm(), CapRights.RWSD);
            Task.InsertCapability(15, F.Root.CreateDmaSpace(), CapRights.RWSD);
            Task.InsertCapability(16, otherTask, CapRights.RWS);
            Task.InsertCapability(17, otherThread, CapRights.RWS);
            Task.InsertCapability(18, F.Root.CreateVcpuContext(), CapRights.RWSD);
            Task.InsertCapability(19, F.Root.CreateFactory(256 << 10), CapRights.RWSD);
            Task.InsertCapability(20, F.Root.CreateGate(asyncServer, 0x80), CapRights.RW);
            Task.InsertCapability(21, asyncServer, CapRights.RWS);
            Task.InsertCapability(22, st, CapRights.RWS);
            Thread.VcpuExecutor = null;
        }
    }

    private static readonly HashSet<IpcErrorCode> Defined = [.. Enum.GetValues<IpcErrorCode>()];

    [FsCheck.NUnit.Property(MaxTest = 300, Replay = "(20260131,17)", Arbitrary = [typeof(Arbitraries)])]
    public Property Arbitrary_words_give_l4_results_and_never_an_exception(Invocation[] invocations)
    {
        var w = new World();
        for (var i = 0; i < invocations.Length; i++)
        {
            var inv = invocations[i];
            try
            {
                if (w.Thread.IsDead || w.Thread.Task is null || w.Task.IsDeleted)
                    w = new World();
                var t = w.Thread;
                inv.Mrs.CopyTo(t.Utcb.Mr);
                inv.Brs.CopyTo(t.Utcb.Br);
                t.Utcb.Bdr = new BufDesc(inv.Bdr);
                var sel = new CapSel(inv.Selector);
                var emptySlot = !sel.IsSpecial && (sel.Flags & SyscallFlags.Reply) == 0 && w.Task.Caps!.Lookup(sel.Index) is null;
                var r = t.Ipc(sel, new MsgTag(inv.Tag), new TimeoutPair(inv.Timeouts), inv.Label);
                if (r.IsBlocked)
                {
                    t.Cancel();
                    if (!t.SysDone && !t.IsDead)
                        return false.Label($"invocation {i} {inv}: blocked thread could not be canceled");
                    r = t.LastResult;
                }
                if (r.HasError && !Defined.Contains(r.ErrorCode))
                    return false.Label($"invocation {i} {inv}: undefined IPC error {r.Error.Raw:x}");
                if (emptySlot && r.ErrorCode != IpcErrorCode.NotExistent)
                    return false.Label($"invocation {i} {inv}: empty slot answered {r}");
                if (QuotaAudit.Check(w.F.Kernel) is { } q)
                    return false.Label($"invocation {i} {inv}: {q}");
            }
            catch (Exception e)
            {
                return false.Label($"invocation {i} {inv}: exception {e}");
            }
        }
        return true.ToProperty();
    }
}
