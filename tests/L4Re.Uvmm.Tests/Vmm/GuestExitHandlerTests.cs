using FsCheck;
using FsCheck.Fluent;
using L4Re.Uvmm.Devices;
using L4Re.Uvmm.Mips;
using L4Re.Uvmm.Vmm;
using L4Re.Uvmm.Vz;

namespace L4Re.Uvmm.Tests.Vmm;

/// <summary>The exit handler completing real exits of the engine running assembled guest code.</summary>
public class GuestExitHandlerTests
{
    [Test]
    public void Mfc0_of_trapping_registers_returns_platform_values()
    {
        var m = new VmmMachine(cpus: 2, new MipsPlatformOptions { CpuCompatible = "mips,p5600" });
        m.Load("""
            mfc0 $v0, $15, 0
            mfc0 $v1, $15, 3
            mfc0 $a0, $3, 1
            li $a1, 7
            mfc0 $a1, $16, 7
            mfc0 $a2, $16, 6
            wait
            """);
        m.RunToWait();
        Assert.Multiple(() =>
        {
            Assert.That(m[2], Is.EqualTo(0x0001_a800u), "PRId of a P5600 (mips,p5600)");
            Assert.That(m[3], Is.EqualTo(0x1fbf8000u >> 4), "CMGCRBase");
            Assert.That(m[4], Is.Zero, "GlobalNumber: core 0");
            Assert.That(m[5], Is.EqualTo(GuestExitHandler.Config7), "Config7: AR, IAR");
            Assert.That(m[6], Is.Zero, "Config6");
        });
    }

    [Test]
    public void The_default_platform_presents_a_proaptiv()
    {
        var m = new VmmMachine();
        m.Load("mfc0 $v0, $15, 0\nwait");
        m.RunToWait();
        Assert.That(m[2], Is.EqualTo(MipsCpu.ProAptivProcessorId));
    }

    [Test]
    public void GlobalNumber_names_the_core_of_the_exiting_vcpu()
    {
        var m = new VmmMachine(cpus: 2);
        m.Load("mfc0 $a0, $3, 1\nwait");
        var cpu1 = new Vcpu(m.Vm.SecondStage, new VcpuOptions { CpuNum = 1 }) { Pc = VmmMachine.CodeBase };
        var exit = cpu1.Run(10);
        Assert.That(m.Handler.Handle(cpu1, exit), Is.EqualTo(ExitAction.Resume));
        Assert.That(cpu1.GetGpr(4), Is.EqualTo(1u << 8));
        Assert.That(cpu1.Pc, Is.EqualTo(VmmMachine.CodeBase + 4));
    }

    [Test]
    public void Mfc0_in_a_delay_slot_follows_the_branch()
    {
        var m = new VmmMachine();
        m.Load("""
                j target
                mfc0 $v0, $15, 0
                li $s0, 1
                wait
            target:
                li $s1, 2
                wait
            """);
        var exit = m.NextExit();
        Assert.That(exit.BranchDelay, Is.True);
        m.RunToWait();
        Assert.That(new[] { m[2], m[16], m[17] }, Is.EqualTo(new[] { MipsCpu.ProAptivProcessorId, 0u, 2u }));
    }

    [Test]
    public void Unknown_registers_halt_with_a_reason()
    {
        var m = new VmmMachine();
        m.Load("mfc0 $v0, $22, 0\nwait");
        var exit = m.NextExit();
        Assert.That(m.Handler.Handle(m.Cpu, exit), Is.EqualTo(ExitAction.Stop));
        Assert.That(m.Platform.Shutdown.Pending!.Kind, Is.EqualTo(ShutdownKind.Halt));
        Assert.That(m.Platform.Shutdown.Pending.Reason, Does.Contain("MFC0 of unhandled register 22,0"));
        Assert.That(m.Cpu.Pc, Is.EqualTo(VmmMachine.CodeBase), "the instruction is not skipped");
    }

    [Test]
    public void Mtc0_count_sets_gtoffset_and_llAddr_clears_the_llbit()
    {
        var m = new VmmMachine();
        m.Load("""
                li $t0, 50000
                mtc0 $t0, $9, 0
                mfc0 $t1, $9, 0
                li $a0, 0x80100000
                ll $t3, 0($a0)
                mtc0 $zero, $17, 0
                sc $t3, 0($a0)
                ll $t4, 0($a0)
                sc $t4, 0($a0)
                mtc0 $t0, $16, 6
                mtc0 $t0, $28, 0
                wait
            """);
        m.RunToWait();
        Assert.Multiple(() =>
        {
            Assert.That(m[9], Is.InRange(50_000u, 50_001u), "guest Count continues from the written value");
            Assert.That(m.Cpu.GuestCount - m.Cpu.RootCount, Is.EqualTo((uint)m.Cpu.State.GtOffset));
            Assert.That(m[11], Is.Zero, "SC after MTC0 LLAddr 0 fails");
            Assert.That(m[12], Is.EqualTo(1u), "an undisturbed LL/SC succeeds");
        });
    }

    [Test]
    public void Gsfc_completes_status_and_masked_cause_writes()
    {
        var m = new VmmMachine();
        m.Load("""
                lui $t0, 0x3000
                mtc0 $t0, $12, 0
                mfc0 $s0, $12, 0
                li $t1, -1
                mtc0 $t1, $13, 0
                mfc0 $s1, $13, 0
                wait
            """);
        var exit = m.NextExit();
        Assert.That(exit.IsGuestExit(GuestExitCode.Gsfc), Is.True, exit.ToString());
        Assert.That(m.Handler.Handle(m.Cpu, exit), Is.EqualTo(ExitAction.Resume));
        m.RunToWait();
        Assert.Multiple(() =>
        {
            Assert.That(m[16], Is.EqualTo(0x3000_0000u), "CU1 set by the VMM");
            Assert.That(m[17] & P5600Guest.CauseSoftFields, Is.EqualTo(P5600Guest.CauseSoftFields));
            Assert.That(m[17] & Cp0Bits.CauseTI, Is.Zero, "TI is not guest-writable");
        });
    }

    [Test]
    public void Hypercalls_putchar_power_off_and_unknown()
    {
        var m = new VmmMachine();
        m.Load("""
                li $a0, 120
                hypcall 0x160
                li $a0, 3
                hypcall 0x161
            """);
        var exit = m.NextExit();
        Assert.That(m.Handler.Handle(m.Cpu, exit), Is.EqualTo(ExitAction.Resume));
        Assert.That(m.Vm.Console.Text, Is.EqualTo("x"));
        exit = m.NextExit();
        Assert.That(m.Handler.Handle(m.Cpu, exit), Is.EqualTo(ExitAction.Stop));
        Assert.That(m.Platform.Shutdown.Pending, Is.EqualTo(new ShutdownRequest(ShutdownKind.PowerOff, 3, "hypercall power-off")));

        var other = new VmmMachine();
        other.Load("hypcall 0x3ff");
        Assert.That(other.Handler.Handle(other.Cpu, other.NextExit()), Is.EqualTo(ExitAction.Stop));
        Assert.That(other.Platform.Shutdown.Pending!.Reason, Does.Contain("unhandled hypercall 0x3ff"));
    }

    [Test]
    public void Mmio_exits_reach_the_devices_and_unmapped_ones_halt()
    {
        var m = new VmmMachine();
        m.Load("""
                li $a0, 0xbf04a000
                li $a1, 76
                sw $a1, 0($a0)
                li $a0, 0xa8000000
                lw $a1, 0($a0)
                wait
            """);
        Assert.That(m.Handler.Handle(m.Cpu, m.NextExit()), Is.EqualTo(ExitAction.Resume));
        m.Vm.DrainConsoles();
        Assert.That(m.Vm.Console.Text, Is.EqualTo("L"));
        var exit = m.NextExit();
        Assert.That(exit.BadVAddr, Is.EqualTo(0x0800_0000u), "the exit carries the GPA");
        Assert.That(m.Handler.Handle(m.Cpu, exit), Is.EqualTo(ExitAction.Stop));
        Assert.That(m.Platform.Shutdown.Pending!.Reason, Does.Contain("Bad page fault (read) 0x08000000"));
    }

    [Test]
    public void Wait_with_a_pending_interrupt_resumes_at_once()
    {
        var m = new VmmMachine();
        m.Load("""
                li $t0, 0xff00
                mtc0 $t0, $12, 0
            w:  wait
                wait
            """);
        m.Platform.Cores[0]!.Set(2);
        var exit = m.NextExit();
        Assert.That(m.Handler.Handle(m.Cpu, exit), Is.EqualTo(ExitAction.Resume));
        Assert.That(m.Cpu.Pc, Is.EqualTo(m.Symbol("w") + 4));
        Assert.That(m.Cpu.State.GuestCtl2, Is.EqualTo(1u << 10), "VIP for IP2");
    }

    [Test]
    public void Wait_sleeps_until_the_cp0_compare_in_virtual_time()
    {
        var m = new VmmMachine();
        m.Load("""
                mfc0 $t0, $9, 0
                li $t1, 160000
                addu $t0, $t0, $t1
                mtc0 $t0, $11, 0
                li $t2, 0x8001
                mtc0 $t2, $12, 0
                wait
            """);
        var exit = m.NextExit();
        var state = m.Cpu.State;
        var ticks = state.Compare - m.Cpu.GuestCount;
        var action = m.Handler.Handle(m.Cpu, exit);
        Assert.That(action.Kind, Is.EqualTo(ExitKind.Sleep));
        Assert.That(action.WakeAtNanoseconds, Is.EqualTo(m.Vm.Clock.NowNanoseconds + VmTime.Nanoseconds(ticks, 160_000_000)));
        Assert.That(ticks, Is.InRange(159_990u, 160_000u), "1 ms at 160 MHz from the MTC0 Compare");

        state.Status = 0x0401; // timer line masked: only interrupts wake it
        Assert.That(m.Handler.Handle(m.Cpu, exit).WakeAtNanoseconds, Is.EqualTo(ulong.MaxValue));
    }

    [Test]
    public void A_sleeping_vm_wakes_at_the_timer_and_takes_the_interrupt()
    {
        var m = new VmmMachine();
        m.Load("""
                li $t0, 0x80000000
                mtc0 $t0, $15, 1
                mfc0 $t0, $9, 0
                li $t1, 16000
                addu $t0, $t0, $t1
                mtc0 $t0, $11, 0
                li $t2, 0x8001
                mtc0 $t2, $12, 0
            w:  wait
                b w
                nop
            """);
        // The interrupt vector (EBase + 0x180, Cause.IV = 0): stop with interrupts off.
        m.Load("mtc0 $zero, $12, 0\nli $s0, 0x5a\nwait", 0x8000_0180);
        m.Cpu.Pc = VmmMachine.CodeBase;
        var before = m.Vm.Instructions;
        m.Vm.RunFor(10_000_000, () => m.Vm.Stopped);
        Assert.That(m.Vm.StopReason!.Kind, Is.EqualTo(ShutdownKind.PowerOff), m.Vm.StopReason.Reason);
        Assert.That(m[16], Is.EqualTo(0x5au), "the timer interrupt was taken");
        Assert.That(m.Vm.Instructions - before, Is.LessThan(100), "the wait was idle time, not executed instructions");
        Assert.That(m.Vm.Clock.NowNanoseconds, Is.InRange(99_000UL, 101_000UL), "16,000 Count ticks at 160 MHz");
    }

    [Test]
    public void Wait_with_interrupts_disabled_is_the_guest_powering_off()
    {
        // arch/mips/kernel/reset.c machine_hang: local_irq_disable(); clear_c0_status(ST0_IM); wait
        var m = new VmmMachine();
        m.Load("mtc0 $zero, $12, 0\nwait");
        Assert.That(m.Handler.Handle(m.Cpu, m.NextExit()), Is.EqualTo(ExitAction.Stop));
        Assert.That(m.Platform.Shutdown.Pending!.Kind, Is.EqualTo(ShutdownKind.PowerOff));
        Assert.That(m.Platform.Shutdown.Pending.Reason, Does.Contain("WAIT with interrupts disabled"));
    }

    [Test]
    public void Cache_index_ops_and_rdhwr_count_without_gt()
    {
        var m = new VmmMachine();
        m.Cpu.State.GuestCtl0 &= ~GuestCtl0Bits.GT;
        m.Cpu.State.GtOffset = 1000;
        m.Load("""
                li $a0, 0x80000000
                cache 0x08, 0($a0)
                rdhwr $t1, $2
                wait
            """);
        m.RunToWait();
        Assert.That(m[9], Is.InRange(1000u, 1002u), "RDHWR $2 = guest Count (root Count + GTOffset) after a few instructions");
    }

    [Test]
    public void Ghfc_interrupt_and_gpa_exits()
    {
        var m = new VmmMachine();
        m.Load("nop\nwait");
        var pc = m.Cpu.Pc;
        Assert.That(m.Handler.Handle(m.Cpu, Exit(ExcCode.GE, GuestExitCode.Ghfc)), Is.EqualTo(ExitAction.Resume));
        Assert.That(m.Cpu.Pc, Is.EqualTo(pc), "GHFC is ignored without advancing");
        Assert.That(m.Handler.Handle(m.Cpu, Exit(ExcCode.Int, 0)), Is.EqualTo(ExitAction.Resume));
        Assert.That(m.Handler.Handle(m.Cpu, new VcpuExit(VcpuExitReason.InstructionLimit, ExcCode.Int, 0, pc, 0, 0, 0, false, 5)), Is.EqualTo(ExitAction.Resume));
        Assert.That(m.Handler.Handle(m.Cpu, Exit(ExcCode.GE, GuestExitCode.Gpa, 0x1234)), Is.EqualTo(ExitAction.Stop));
        Assert.That(m.Platform.Shutdown.Pending!.Reason, Does.Contain("Bad TLB root access 0x00001234"));
    }

    private static VcpuExit Exit(ExcCode code, GuestExitCode gexc, uint badVAddr = 0, uint insn = 0, uint branch = 0, bool bd = false) =>
        new(VcpuExitReason.Exception, code, gexc, VmmMachine.CodeBase, badVAddr, insn, branch, bd, 1);

    private readonly Lazy<VmmMachine> _shared = new(() => new VmmMachine());

    [FsCheck.NUnit.Property(MaxTest = 3000, Replay = "20260702,17")]
    public Property Any_exit_is_handled_without_throwing(byte exc, byte gexc, uint badVAddr, uint insn, uint branch, bool bd, uint a0)
    {
        var m = _shared.Value;
        m.Cpu.Pc = VmmMachine.CodeBase;
        m.Cpu.SetGpr(4, a0);
        m.Cpu.SetGpr((int)(insn >> 16 & 31), badVAddr);
        var action = m.Handler.Handle(m.Cpu, Exit((ExcCode)(exc % 32), (GuestExitCode)(gexc % 16), badVAddr & 0x3fff_ffff, insn, branch, bd));
        return Enum.IsDefined(action.Kind).ToProperty();
    }
}
