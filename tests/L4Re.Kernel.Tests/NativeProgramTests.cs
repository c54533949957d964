using L4Re.Kernel.Abi;
using L4Re.Kernel.Boot;
using L4Re.Kernel.Memory;
using L4Re.Kernel.Native;
using L4Re.Kernel.Objects;

namespace L4Re.Kernel.Tests;

/// <summary>Native programs as async C#: the examples of docs/kernel.md (a pager, a server behind an IPC gate).</summary>
public class NativeProgramTests
{
    /// <summary>A pager: answers page faults by mapping pages of its own dataspace.</summary>
    private static NativeMain Pager(Dataspace backing, ulong pagerBase, List<ulong> faults) => async ctx =>
    {
        ctx.Task.Attach(backing, pagerBase, MemRights.RWX);
        var r = await ctx.Wait();
        while (true)
        {
            if (r.Tag.Protocol == ProtocolLabel.PageFault)
            {
                var pfa = ctx.Utcb.Mr[0] & ~0xfffUL;
                faults.Add(ctx.Utcb.Mr[0]);
                var offset = pfa & ((ulong)backing.Size - 1);
                ctx.Utcb.Mr[0] = SndItem.Map(pfa).Raw;
                ctx.Utcb.Mr[1] = Fpage.Memory(pagerBase + offset, 12, MemRights.RW).Raw;
                r = await ctx.ReplyAndWait(new MsgTag(0, 0, 1, 0));
            }
            else
            {
                r = await ctx.ReplyAndWait(MsgTag.FromError(L4Error.NoSys));
            }
        }
    };

    [Test]
    public void Page_fault_becomes_a_call_to_the_pager_and_its_map_reply_resolves_it()
    {
        var f = new Fixture(new KernelOptions { Trace = true });
        var backing = new Dataspace(16 * 4096, "backing");
        backing.Span[0x2010] = 0xab;
        var faults = new List<ulong>();
        var (pagerTask, pagerThread) = f.ProgramTask("pager", Pager(backing, 0x4000_0000, faults), priority: 5);
        byte[] read = [];
        var (clientTask, clientThread) = f.ProgramTask("client", async ctx =>
        {
            var buf = new byte[2];
            Assert.That(await ctx.ReadAsync(0x1000_2010, buf), Is.True);
            read = buf;
            Assert.That(await ctx.WriteAsync(0x1000_2011, new byte[] { 0xcd }), Is.True);
        }, priority: 3);
        clientTask.InsertCapability(4, f.Root.CreateGate(pagerThread, 0x10), CapRights.RW);
        clientThread.Pager = CapSel.FromIndex(4);
        f.Kernel.Run();
        Assert.That(clientThread.StopReason, Is.EqualTo("program ended"));
        Assert.That(read, Is.EqualTo(new byte[] { 0xab, 0 }));
        Assert.That(backing.Span[0x2011], Is.EqualTo(0xcd), "the write went to the pager's dataspace");
        Assert.That(faults, Has.Count.EqualTo(1), "one fault; the write found the page mapped RW");
        Assert.That(faults[0], Is.EqualTo(0x1000_2010UL | 1), "pfa & ~7 | not-present, read access");
        Assert.That(f.Kernel.Trace.Events.Any(e => e.Kind == TraceKind.PageFault), Is.True);
    }

    [Test]
    public void Page_fault_without_a_pager_kills_the_thread_and_nothing_else()
    {
        var f = new Fixture();
        var other = 0;
        var (_, victim) = f.ProgramTask("victim", async ctx =>
        {
            await ctx.TouchAsync(0x1234_5000);
            Assert.Fail("the faulting program must not continue");
        });
        var (_, bystander) = f.ProgramTask("bystander", async ctx =>
        {
            await ctx.Compute(1000);
            other++;
        });
        f.Kernel.Run();
        Assert.That(victim.IsDead, Is.True);
        Assert.That(victim.StopReason, Does.Contain("without a pager"));
        Assert.That(other, Is.EqualTo(1));
        Assert.That(bystander.StopReason, Is.EqualTo("program ended"));
    }

    [Test]
    public void Refused_page_fault_becomes_an_exception_ipc()
    {
        var f = new Fixture();
        var excLabels = new List<long>();
        var (_, refuser) = f.ProgramTask("refuser", async ctx =>
        {
            var r = await ctx.Wait();
            while (true)
                r = await ctx.ReplyAndWait(MsgTag.FromError(L4Error.Perm));
        }, priority: 5);
        var (_, handler) = f.ProgramTask("handler", async ctx =>
        {
            var r = await ctx.Wait();
            excLabels.Add(r.Tag.Label);
            await ctx.Reply(new MsgTag(0, 0, 0, 0));
        }, priority: 5);
        var (ct, client) = f.ProgramTask("client", async ctx =>
        {
            var ok = await ctx.TouchAsync(0x5000);
            Assert.That(ok, Is.False);
        }, priority: 2);
        ct.InsertCapability(4, refuser);
        ct.InsertCapability(9, handler);
        client.Pager = CapSel.FromIndex(4);
        client.ExceptionHandler = CapSel.FromIndex(9);
        f.Kernel.Run();
        Assert.That(excLabels, Is.EqualTo(new[] { (long)ProtocolLabel.Exception }));
        Assert.That(client.StopReason, Is.EqualTo("program ended"));
    }

    [Test]
    public void Async_server_behind_an_ipc_gate_serves_clients_in_priority_order()
    {
        var f = new Fixture();
        var served = new List<ulong>();
        var (_, server) = f.ProgramTask("server", async ctx =>
        {
            var r = await ctx.Wait();
            while (true)
            {
                served.Add(r.Label);
                ctx.Utcb.Mr[0] *= 2;
                r = await ctx.ReplyAndWait(new MsgTag(0, 1, 0, 0));
            }
        }, priority: 10);
        var results = new Dictionary<string, ulong>();
        for (var i = 1; i <= 3; i++)
        {
            var name = $"client{i}";
            var value = (ulong)i * 10;
            var (task, _) = f.ProgramTask(name, async ctx =>
            {
                ctx.Utcb.Mr[0] = value;
                var r = await ctx.Call(CapSel.FromIndex(10), new MsgTag(0, 1, 0, 0));
                Assert.That(r.HasError, Is.False);
                results[name] = ctx.Utcb.Mr[0];
            }, priority: i);
            task.InsertCapability(10, f.Root.CreateGate(server, (ulong)i << 4), CapRights.RW);
        }
        f.Kernel.Run();
        Assert.That(results, Is.EqualTo(new Dictionary<string, ulong> { ["client1"] = 20, ["client2"] = 40, ["client3"] = 60 }));
        Assert.That(served, Is.EqualTo(new ulong[] { 0x31, 0x21, 0x11 }), "the highest-priority client runs and calls first");
    }

    [Test]
    public void Boot_gives_the_root_task_the_l4re_boot_capabilities()
    {
        var sys = new SystemBuilder().WithRam(1 << 20, 0x1000_0000).Build();
        var caps = sys.RootTask.Caps!;
        Assert.That(caps.Lookup((ulong)BootCap.Task)!.Value.Object, Is.SameAs(sys.RootTask));
        Assert.That(caps.Lookup((ulong)BootCap.Factory)!.Value.Object, Is.SameAs(sys.Kernel.RootFactory));
        Assert.That(caps.Lookup((ulong)BootCap.Thread)!.Value.Object, Is.SameAs(sys.RootThread));
        Assert.That(caps.Lookup((ulong)BootCap.Pager)!.Value.Object, Is.InstanceOf<IpcGate>());
        Assert.That(caps.Lookup((ulong)BootCap.Log)!.Value.Object, Is.SameAs(sys.Kernel.Log));
        Assert.That(caps.Lookup((ulong)BootCap.Icu)!.Value.Object, Is.SameAs(sys.Kernel.Icu));
        Assert.That(caps.Lookup((ulong)BootCap.Scheduler)!.Value.Object, Is.SameAs(sys.Kernel.Scheduler));
        Assert.That(caps.Lookup((ulong)BootCap.Iommu)!.Value.Object, Is.SameAs(sys.Kernel.Iommu));
        Assert.That(sys.RootThread.Pager, Is.EqualTo(CapSel.FromBoot(BootCap.Pager)));
    }

    [Test]
    public void Root_program_gets_memory_from_sigma0_by_faulting_and_by_the_sigma0_protocol()
    {
        var ram = new Dataspace(1 << 20, "ram");
        ram.Span[0x3000] = 0x42;
        byte seen = 0;
        var sys = new SystemBuilder()
            .WithOptions(new KernelOptions { Trace = true })
            .WithRam(ram, 0x1000_0000)
            .WithRootProgram(async ctx =>
            {
                // Page fault at a physical address: sigma0 maps it idempotently.
                var b = new byte[1];
                await ctx.ReadAsync(0x1000_3000, b);
                seen = b[0];
                // Sigma0 protocol: ask for 64 KiB of RAM anywhere, received at 0x2000_0000.
                L4Sys.ReceiveMemory(ctx.Utcb, Fpage.Memory(0x2000_0000, 16, MemRights.RWX));
                ctx.Utcb.Mr[0] = Sigma0Pager.RequestFpageAny;
                ctx.Utcb.Mr[1] = Fpage.Memory(0, 16, MemRights.RWX).Raw;
                var r = await ctx.Call(CapSel.FromBoot(BootCap.Pager), MsgTag.Of(ProtocolLabel.Sigma0, 2));
                Assert.That(r.Tag.Items, Is.EqualTo(1u));
                await ctx.PrintAsync("root: got memory\n");
            })
            .Build();
        sys.Kernel.Run();
        Assert.That(sys.RootThread.StopReason, Is.EqualTo("program ended"));
        Assert.That(seen, Is.EqualTo(0x42));
        Assert.That(sys.RootTask.Memory.TryTranslate(0x2000_f000, out var t), Is.True);
        Assert.That(t.Dataspace, Is.SameAs(ram));
        Assert.That(sys.Kernel.Log.Output, Is.EqualTo("root: got memory\n"));
        Assert.That(sys.Sigma0.PagesHandedOut, Is.EqualTo(17), "the faulted page, and a free 64 KiB block (SIGMA0_REQ_FPAGE_ANY takes free RAM only)");
        Assert.That(t.Offset, Is.EqualTo(0x1f000), "the first 64 KiB block holds the faulted page, so the block is the second one");
    }

    [Test]
    public void Awaiting_a_foreign_task_stops_the_thread_with_a_clear_reason()
    {
        var f = new Fixture();
        var (_, t) = f.ProgramTask("bad", async ctx =>
        {
            await Task.Yield();
        });
        f.Kernel.Run();
        Assert.That(t.IsDead, Is.True);
        Assert.That(t.StopReason, Does.Contain("not a kernel operation"));
    }

    [Test]
    public void Program_exception_stops_only_that_thread()
    {
        var f = new Fixture();
        var (_, t) = f.ProgramTask("bad", async ctx =>
        {
            await ctx.Compute(10);
            throw new InvalidOperationException("boom");
        });
        var ok = false;
        f.ProgramTask("good", async ctx =>
        {
            await ctx.Compute(100);
            ok = true;
        });
        f.Kernel.Run();
        Assert.That(t.StopReason, Does.Contain("boom"));
        Assert.That(ok, Is.True);
    }
}
