using L4Re.Kernel.Abi;
using L4Re.Kernel.Native;
using L4Re.Kernel.Objects;
using L4Re.Kernel.Vcpu;

namespace L4Re.Kernel.Tests;

public class ThreadObjectTests
{
    [Test]
    public void Control_sets_pager_and_exception_handler_and_returns_the_old_ones()
    {
        var f = new Fixture();
        var (a, at) = f.HostTask("a");
        var t2 = f.Root.CreateThread();
        a.InsertCapability(20, t2, CapRights.RWS);
        var r = at.Call(CapSel.FromIndex(20), L4Sys.ThreadControl(at.Utcb, pager: CapSel.FromIndex(4), exceptionHandler: CapSel.FromIndex(9), bindTask: CapSel.FromBoot(BootCap.Task)));
        Assert.That(r.Tag.Label, Is.Zero, r.ToString());
        Assert.That(t2.Pager, Is.EqualTo(CapSel.FromIndex(4)));
        Assert.That(t2.ExceptionHandler, Is.EqualTo(CapSel.FromIndex(9)));
        Assert.That(t2.Task, Is.SameAs(a));
        r = at.Call(CapSel.FromIndex(20), L4Sys.ThreadControl(at.Utcb, pager: CapSel.FromIndex(5)));
        Assert.That(at.Utcb.Mr[1], Is.EqualTo(CapSel.FromIndex(4).Raw));
        Assert.That(at.Utcb.Mr[2], Is.EqualTo(CapSel.FromIndex(9).Raw));
        Assert.That(t2.Pager, Is.EqualTo(CapSel.FromIndex(5)));
    }

    [Test]
    public void Control_needs_s_six_words_and_an_unbound_thread()
    {
        var f = new Fixture();
        var (a, at) = f.HostTask("a");
        var t2 = f.Root.CreateThread();
        a.InsertCapability(20, t2, CapRights.RW);
        Assert.That(at.Call(CapSel.FromIndex(20), L4Sys.ThreadControl(at.Utcb, pager: CapSel.FromIndex(4))).ResultError, Is.EqualTo(L4Error.Perm));
        a.InsertCapability(21, t2, CapRights.RWS);
        L4Sys.ThreadControl(at.Utcb, pager: CapSel.FromIndex(4));
        Assert.That(at.Call(CapSel.FromIndex(21), MsgTag.Of(ProtocolLabel.Thread, 5)).ResultError, Is.EqualTo(L4Error.Inval));
        Assert.That(at.Call(CapSel.FromIndex(21), L4Sys.ThreadControl(at.Utcb, bindTask: CapSel.FromBoot(BootCap.Task))).Tag.Label, Is.Zero);
        Assert.That(at.Call(CapSel.FromIndex(21), L4Sys.ThreadControl(at.Utcb, bindTask: CapSel.FromBoot(BootCap.Task))).ResultError, Is.EqualTo(L4Error.Inval), "unbind first");
        var t3 = f.Root.CreateThread();
        a.InsertCapability(22, t3, CapRights.RWS);
        L4Sys.ThreadControl(at.Utcb);
        at.Utcb.Mr[0] = (ulong)ThreadControlFlags.Alien;
        Assert.That(at.Call(CapSel.FromIndex(22), MsgTag.Of(ProtocolLabel.Thread, 6)).ResultError, Is.EqualTo(L4Error.NoSys));
    }

    [Test]
    public void Ex_regs_starts_the_program_registered_at_the_entry_address()
    {
        var f = new Fixture();
        var (a, at) = f.HostTask("a");
        var ran = 0;
        a.RegisterProgram(0x1000, ctx =>
        {
            ran++;
            return Task.CompletedTask;
        });
        var t2 = f.Root.CreateThread();
        a.InsertCapability(20, t2, CapRights.RWS);
        at.Call(CapSel.FromIndex(20), L4Sys.ThreadControl(at.Utcb, bindTask: CapSel.FromBoot(BootCap.Task)));
        var r = at.Call(CapSel.FromIndex(20), L4Sys.ThreadExRegs(at.Utcb, 0x1000, 0x8000));
        Assert.That(r.Tag.Label, Is.Zero);
        Assert.That(r.Tag.Words, Is.EqualTo(3u));
        Assert.That(ran, Is.Zero, "not on a CPU yet");
        a.InsertCapability(21, f.Kernel.Scheduler, CapRights.RWS);
        r = at.Call(CapSel.FromIndex(21), L4Sys.SchedulerRunThread(at.Utcb, CapSel.FromIndex(20), 10));
        Assert.That(r.Tag.Label, Is.Zero);
        f.Kernel.Run();
        Assert.That(ran, Is.EqualTo(1));
        Assert.That(t2.Ip, Is.EqualTo(0x1000UL));
        Assert.That(t2.Sp, Is.EqualTo(0x8000UL));
        Assert.That(t2.Priority, Is.EqualTo(10));
        Assert.That(t2.State, Is.EqualTo(ThreadRunState.Dead));
        Assert.That(t2.StopReason, Is.EqualTo("program ended"));
    }

    [Test]
    public void Ex_regs_with_cancel_aborts_a_blocked_receive()
    {
        var f = new Fixture();
        var (a, at) = f.HostTask("a");
        var (b, bt) = f.HostTask("b");
        a.InsertCapability(20, bt, CapRights.RWS);
        Assert.That(bt.Wait().IsBlocked, Is.True);
        at.Call(CapSel.FromIndex(20), L4Sys.ThreadExRegs(at.Utcb, ulong.MaxValue, ulong.MaxValue, ExRegsFlags.Cancel));
        Assert.That(bt.LastResult.ErrorCode, Is.EqualTo(IpcErrorCode.ReCanceled));
        Assert.That(at.Call(CapSel.FromIndex(20), L4Sys.ThreadExRegs(at.Utcb, 0, 0, (ExRegsFlags)0x0100_0000)).ResultError, Is.EqualTo(L4Error.Inval));
    }

    [Test]
    public void Stats_reports_consumed_time_in_microseconds()
    {
        var f = new Fixture();
        var (a, at) = f.HostTask("a");
        var done = false;
        var (_, pt) = f.ProgramTask("p", async ctx =>
        {
            await ctx.Compute(3_000_000);
            done = true;
        });
        f.Kernel.Run();
        Assert.That(done, Is.True);
        a.InsertCapability(20, pt, CapRights.RWS);
        var r = at.Call(CapSel.FromIndex(20), L4Sys.ThreadOperation(at.Utcb, ThreadOp.Stats));
        Assert.That(r.Tag.Words, Is.EqualTo(1u));
        Assert.That(at.Utcb.Mr[0], Is.EqualTo(3000UL));
    }

    [Test]
    public void Unknown_thread_op_is_nosys_and_empty_thread_message_is_too_short()
    {
        var f = new Fixture();
        var (a, at) = f.HostTask("a");
        at.Utcb.Mr[0] = 0x55;
        Assert.That(at.Call(CapSel.FromBoot(BootCap.Thread), MsgTag.Of(ProtocolLabel.Thread, 1)).ResultError, Is.EqualTo(L4Error.NoSys));
        Assert.That(at.Call(CapSel.FromBoot(BootCap.Thread), MsgTag.Of(ProtocolLabel.Thread, 0)).ResultError, Is.EqualTo(L4Error.MsgTooShort));
    }

    private sealed class FakeGuest : IVcpuExecutor
    {
        public int Runs;
        public int ExitAfter = 3;
        public L4Task? SeenSpace;

        public VcpuRunResult Run(VcpuResumeContext context)
        {
            Runs++;
            SeenSpace = context.Space;
            if (context.InterruptPending)
                return new VcpuRunResult(VcpuRunStatus.Interrupt, 10);
            return Runs >= ExitAfter ? new VcpuRunResult(VcpuRunStatus.Exit, 500) : new VcpuRunResult(VcpuRunStatus.BudgetExhausted, context.BudgetNs);
        }
    }

    [Test]
    public void Vcpu_resume_runs_the_executor_in_the_vm_until_an_exit()
    {
        var f = new Fixture();
        var (a, at) = f.HostTask("vmm");
        var vm = f.Root.CreateVm("guest");
        a.InsertCapability(20, vm, CapRights.RWS);
        var guest = new FakeGuest();
        at.VcpuExecutor = guest;
        Assert.That(at.Call(CapSel.FromBoot(BootCap.Thread), L4Sys.ThreadVcpuControl(at.Utcb, 0x1000)).Tag.Label, Is.Zero);
        var vcpu = at.Vcpu!;
        vcpu.UserTask = CapSel.FromIndex(20);
        vcpu.SavedState = VcpuStateFlags.UserMode | VcpuStateFlags.Irqs;
        var t0 = f.Kernel.Now;
        var r = at.VcpuResume();
        Assert.That(r.Label, Is.EqualTo((long)VcpuResumeOutcome.GuestExit));
        Assert.That(guest.Runs, Is.EqualTo(3));
        Assert.That(guest.SeenSpace, Is.SameAs(vm));
        Assert.That(f.Kernel.Now - t0, Is.GreaterThan(2 * 1000), "guest time advances the virtual clock");
    }

    [Test]
    public void Vcpu_resume_returns_an_upcall_for_a_pending_irq()
    {
        var f = new Fixture();
        var (a, at) = f.HostTask("vmm");
        var vm = f.Root.CreateVm("guest");
        a.InsertCapability(20, vm, CapRights.RWS);
        var irq = f.Root.CreateIrq();
        irq.Bind(at, 0x77);
        var guest = new FakeGuest { ExitAfter = 100 };
        at.VcpuExecutor = guest;
        var vcpu = at.EnableVcpu();
        vcpu.UserTask = CapSel.FromIndex(20);
        vcpu.SavedState = VcpuStateFlags.UserMode | VcpuStateFlags.Irqs;
        irq.Trigger();
        var r = at.VcpuResume();
        Assert.That(r.Label, Is.EqualTo((long)VcpuResumeOutcome.IpcUpcall));
        Assert.That(vcpu.IpcLabel, Is.EqualTo(0x77UL));
        Assert.That(guest.Runs, Is.Zero);
    }

    [Test]
    public void Vcpu_resume_errors()
    {
        var f = new Fixture();
        var (a, at) = f.HostTask("vmm");
        Assert.That(at.VcpuResume().ResultError, Is.EqualTo(L4Error.Inval), "vCPU mode not enabled");
        var vcpu = at.EnableVcpu();
        vcpu.SavedState = VcpuStateFlags.UserMode;
        Assert.That(at.VcpuResume().ResultError, Is.EqualTo(L4Error.NoEnt), "no user task");
        a.InsertCapability(20, f.Root.CreateVm(), CapRights.RW);
        vcpu.UserTask = CapSel.FromIndex(20);
        Assert.That(at.VcpuResume().ResultError, Is.EqualTo(L4Error.Perm), "the VM capability needs S");
        a.InsertCapability(21, f.Root.CreateVm(), CapRights.RWS);
        vcpu.UserTask = CapSel.FromIndex(21);
        Assert.That(at.VcpuResume().ResultError, Is.EqualTo(L4Error.NoSys), "no executor");
        Assert.That(at.Call(CapSel.FromBoot(BootCap.Thread), L4Sys.ThreadVcpuControl(at.Utcb, 0)).ResultError, Is.EqualTo(L4Error.Inval));
    }
}

public class ThreadOperationTests
{
    [Test]
    public void Ex_regs_trigger_exception_sends_an_exception_ipc_before_the_program_continues()
    {
        var f = new Fixture();
        var order = new List<string>();
        var (ht, handler) = f.ProgramTask("handler", async ctx =>
        {
            var r = await ctx.Wait();
            order.Add($"exception label {r.Tag.Label} words {r.Tag.Words}");
            await ctx.Reply(new MsgTag(0, 0, 0, 0));
        }, priority: 5);
        var (wt, worker) = f.ProgramTask("worker", async ctx =>
        {
            order.Add("worker start");
            await ctx.SleepMicroseconds(100);
            order.Add("worker continues");
        }, priority: 3);
        wt.InsertCapability(9, handler, CapRights.RW);
        worker.ExceptionHandler = CapSel.FromIndex(9);
        f.Kernel.RunFor(50_000);
        worker.ExRegs(ulong.MaxValue, ulong.MaxValue, ExRegsFlags.TriggerException, out _, out _, out _);
        f.Kernel.Run();
        Assert.That(order, Is.EqualTo(new[] { "worker start", $"exception label {(long)ProtocolLabel.Exception} words 2", "worker continues" }));
    }

    [Test]
    public void Thread_switch_runs_the_target_now()
    {
        var f = new Fixture();
        var order = new List<string>();
        var (_, target) = f.ProgramTask("target", async ctx =>
        {
            order.Add("target");
            await ctx.Compute(10);
        }, priority: 1);
        var (st, switcher) = f.ProgramTask("switcher", async ctx =>
        {
            order.Add("switch");
            await ctx.Call(CapSel.FromIndex(20), Native.L4Sys.ThreadOperation(ctx.Utcb, ThreadOp.Switch));
            order.Add("after");
        }, priority: 9);
        st.InsertCapability(20, target, CapRights.RWS);
        f.Kernel.Run();
        Assert.That(order, Is.EqualTo(new[] { "switch", "target", "after" }));
    }
}

public class MoreErrorTests
{
    [Test]
    public void Scheduler_info_beyond_the_cpus_is_erange()
    {
        var f = new Fixture();
        var (a, at) = f.HostTask("a");
        a.InsertCapability(21, f.Kernel.Scheduler, CapRights.RWS);
        at.Utcb.Mr[0] = (ulong)SchedulerOp.Info;
        at.Utcb.Mr[1] = 5; // offset 5: beyond CPU 0
        Assert.That(at.Call(CapSel.FromIndex(21), MsgTag.Of(ProtocolLabel.Scheduler, 2)).ResultError, Is.EqualTo(L4Error.Range));
    }

    [Test]
    public void Exception_without_a_handler_blocks_the_thread_on_itself()
    {
        var f = new Fixture();
        var after = false;
        var (_, t) = f.ProgramTask("lonely", async ctx =>
        {
            await ctx.RaiseExceptionAsync([1, 2, 3]);
            after = true;
        });
        Assert.That(f.Kernel.Run(), Is.EqualTo(RunOutcome.Idle));
        Assert.That(after, Is.False);
        Assert.That(t.State, Is.EqualTo(ThreadRunState.Blocked));
        t.Cancel();
        f.Kernel.Run();
        Assert.That(after, Is.True, "canceling the self-call lets the program continue");
    }
}
