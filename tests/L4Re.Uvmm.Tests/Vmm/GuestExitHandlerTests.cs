using FsCheck;
using FsCheck.Fluent;
using L4Re.Uvmm.Devices;
using L4Re.Uvmm.Mips;
using L4Re.Uvmm.Vmm;
using L4Re.Uvmm.Vz;
using VcpuExit = L4Re.Uvmm.Vmm.VcpuExit;
using static L4Re.Uvmm.Tests.Vmm.Asm;

namespace L4Re.Uvmm.Tests.Vmm;

public class GuestExitHandlerTests
{
    private const uint Pc = 0x8010_0000;

    private static (GuestExitHandler Handler, MipsVirtualPlatform Platform, ManualClock Clock, FakeVcpu Vcpu) Make(int cpus = 1, int vcpu = 0)
    {
        var clock = new ManualClock();
        var platform = new MipsVirtualPlatform(MipsPlatformTree.Create(new MipsPlatformOptions { CpuCount = cpus, MemorySize = 16 << 20 }), clock);
        platform.Build();
        var v = new FakeVcpu(vcpu);
        v.Pc = Pc;
        return (new GuestExitHandler(platform, clock, countHz: 160_000_000), platform, clock, v);
    }

    private static VcpuExit Gpsi(uint insn, bool bd = false, uint branch = 0) => new(ExcCode.GE, GuestExitCode.Gpsi, 0, insn, branch, bd);
    private static uint Mfc0(int rt, int rd, int sel) => 0x4000_0000u | (uint)rt << 16 | (uint)rd << 11 | (uint)sel;
    private static uint Mtc0(int rt, int rd, int sel) => 0x4080_0000u | (uint)rt << 16 | (uint)rd << 11 | (uint)sel;

    [Test]
    public void Mfc0_of_trapping_registers_returns_platform_values()
    {
        var (h, _, _, v) = Make(cpus: 2, vcpu: 1);
        Assert.That(h.Handle(v, Gpsi(Mfc0(2, 15, 0))), Is.EqualTo(ExitAction.Resume));
        Assert.That(v.Gpr[2], Is.EqualTo(0x0001_a800u), "PRId of a P5600");
        Assert.That(v.Pc, Is.EqualTo(Pc + 4));
        h.Handle(v, Gpsi(Mfc0(3, 15, 3)));
        Assert.That(v.Gpr[3], Is.EqualTo(0x1fbf8000u >> 4), "CMGCRBase");
        h.Handle(v, Gpsi(Mfc0(4, 3, 1)));
        Assert.That(v.Gpr[4], Is.EqualTo(1u << 8), "GlobalNumber: core 1");
        v.Gpr[5] = 7;
        h.Handle(v, Gpsi(Mfc0(5, 16, 7)));
        Assert.That(v.Gpr[5], Is.Zero, "Config7");
        Assert.That(v.Pc, Is.EqualTo(Pc + 16));
    }

    [Test]
    public void Mfc0_in_a_delay_slot_follows_the_branch()
    {
        var (h, _, _, v) = Make();
        var exit = Gpsi(Mfc0(2, 15, 0), bd: true, branch: J(0x02, 0x0040_0000));
        h.Handle(v, exit);
        Assert.That(v.Pc, Is.EqualTo(0x8040_0000u));
        Assert.That(v.Gpr[2], Is.EqualTo(0x0001_a800u));
    }

    [Test]
    public void Unknown_registers_halt_with_a_reason()
    {
        var (h, p, _, v) = Make();
        Assert.That(h.Handle(v, Gpsi(Mfc0(2, 22, 0))), Is.EqualTo(ExitAction.Stop));
        Assert.That(p.Shutdown.Pending!.Kind, Is.EqualTo(ShutdownKind.Halt));
        Assert.That(p.Shutdown.Pending.Reason, Does.Contain("MFC0 of unhandled register 22,0"));
        Assert.That(v.Pc, Is.EqualTo(Pc));
    }

    [Test]
    public void Mtc0_count_sets_gtoffset_and_llAddr_clears_llbit()
    {
        var (h, _, _, v) = Make();
        v.Root = 1000;
        v.Gpr[8] = 50;
        h.Handle(v, Gpsi(Mtc0(8, 9, 0)));
        Assert.That((uint)(v.RootCount + v.GTOffset), Is.EqualTo(50u), "guest Count = root Count + GTOffset");
        v.Root = 1100;
        h.Handle(v, Gpsi(Mfc0(9, 9, 0)));
        Assert.That(v.Gpr[9], Is.EqualTo(150u));
        v.Gpr[8] = 0;
        h.Handle(v, Gpsi(Mtc0(8, 17, 0)));
        Assert.That(v.LlCleared, Is.True);
        h.Handle(v, Gpsi(Mtc0(8, 16, 0)));
        h.Handle(v, Gpsi(Mtc0(8, 28, 0)));
        Assert.That(v.Pc, Is.EqualTo(Pc + 20));
    }

    [Test]
    public void Gsfc_completes_status_and_masked_cause_writes()
    {
        var (h, _, _, v) = Make();
        v.Gpr[8] = 0x1000_ff01;
        Assert.That(h.Handle(v, new VcpuExit(ExcCode.GE, GuestExitCode.Gsfc, 0, Mtc0(8, 12, 0), 0, false)), Is.EqualTo(ExitAction.Resume));
        Assert.That(v.Cp0[GuestCp0.Status], Is.EqualTo(0x1000_ff01u));
        v.Cp0[GuestCp0.Cause] = 0x4000_8000; // TI and IP7 are hardware's
        v.Gpr[8] = 0xffff_ffff;
        h.Handle(v, new VcpuExit(ExcCode.GE, GuestExitCode.Gsfc, 0, Mtc0(8, 13, 0), 0, false));
        Assert.That(v.Cp0[GuestCp0.Cause], Is.EqualTo(0x4000_8000u | GuestCp0.CauseWritable));
        Assert.That(v.Pc, Is.EqualTo(Pc + 8));
    }

    [Test]
    public void Hypercalls_putchar_power_off_and_unknown()
    {
        var (h, p, _, v) = Make();
        var chars = new List<byte>();
        h.PutChar = chars.Add;
        v.Gpr[4] = 'x';
        Assert.That(h.Handle(v, new VcpuExit(ExcCode.GE, GuestExitCode.Hypercall, 0, Hypercall.Encode(0x160), 0, false)), Is.EqualTo(ExitAction.Resume));
        Assert.That(chars, Is.EqualTo(new[] { (byte)'x' }));
        Assert.That(v.Pc, Is.EqualTo(Pc + 4));
        v.Gpr[4] = 3;
        Assert.That(h.Handle(v, new VcpuExit(ExcCode.GE, GuestExitCode.Hypercall, 0, Hypercall.Encode(0x161), 0, false)), Is.EqualTo(ExitAction.Stop));
        Assert.That(p.Shutdown.Pending, Is.EqualTo(new ShutdownRequest(ShutdownKind.PowerOff, 3, "hypercall power-off")));

        var (h2, p2, _, v2) = Make();
        Assert.That(h2.Handle(v2, new VcpuExit(ExcCode.GE, GuestExitCode.Hypercall, 0, Hypercall.Encode(0x3ff), 0, false)), Is.EqualTo(ExitAction.Stop));
        Assert.That(p2.Shutdown.Pending!.Reason, Does.Contain("unhandled hypercall 0x3ff"));
    }

    [Test]
    public void Mmio_exits_reach_the_devices_and_unmapped_ones_halt()
    {
        var (h, p, _, v) = Make();
        v.Gpr[4] = 0xbf04_a000; // kseg1 pointer the guest used; the exit carries the GPA
        v.Gpr[5] = 'L';
        Assert.That(h.Handle(v, new VcpuExit(ExcCode.TlbS, 0, 0x1f04a000, I(Sw, 4, 5, 0), 0, false)), Is.EqualTo(ExitAction.Resume));
        var t = new ConsoleTranscript();
        t.Drain(p.Uarts[0].Output);
        Assert.That(t.Text, Is.EqualTo("L"));
        Assert.That(h.Handle(v, new VcpuExit(ExcCode.TlbL, 0, 0x0800_0000, I(Lw, 4, 5, 0), 0, false)), Is.EqualTo(ExitAction.Stop));
        Assert.That(p.Shutdown.Pending!.Reason, Does.Contain("Bad page fault (read) 0x08000000"));
    }

    [Test]
    public void Wait_with_a_pending_interrupt_resumes_at_once()
    {
        var (h, p, _, v) = Make();
        v.Cp0[GuestCp0.Status] = 0x0000_ff01;
        p.Cores[0]!.Set(2);
        Assert.That(h.Handle(v, Gpsi(0x4200_0020)), Is.EqualTo(ExitAction.Resume));
        Assert.That(v.Pc, Is.EqualTo(Pc + 4));
        Assert.That(v.GuestCtl2, Is.EqualTo(1u << 10), "VIP for IP2");
    }

    [Test]
    public void Wait_sleeps_until_the_cp0_compare_in_virtual_time()
    {
        var (h, _, clock, v) = Make();
        clock.Advance(5_000);
        v.Cp0[GuestCp0.Status] = 0x0000_8001; // IE, IM7
        v.Cp0[GuestCp0.IntCtl] = 7u << 29;    // IPTI = 7
        v.Root = 1_000;
        v.Cp0[GuestCp0.Compare] = 1_000 + 160_000; // 1 ms at 160 MHz
        var action = h.Handle(v, Gpsi(0x4200_0020));
        Assert.That(action.Kind, Is.EqualTo(ExitKind.Sleep));
        Assert.That(action.WakeAtNanoseconds, Is.EqualTo(5_000UL + 1_000_000));
        v.Cp0[GuestCp0.Status] = 0x0000_0401; // timer line masked: only interrupts wake it
        Assert.That(h.Handle(v, Gpsi(0x4200_0020)).WakeAtNanoseconds, Is.EqualTo(ulong.MaxValue));
    }

    [Test]
    public void Wait_with_interrupts_disabled_is_the_guest_powering_off()
    {
        // arch/mips/kernel/reset.c machine_hang: local_irq_disable(); clear_c0_status(ST0_IM); wait
        var (h, p, _, v) = Make();
        v.Cp0[GuestCp0.Status] = 0x0000_0000;
        Assert.That(h.Handle(v, Gpsi(0x4200_0020)), Is.EqualTo(ExitAction.Stop));
        Assert.That(p.Shutdown.Pending!.Kind, Is.EqualTo(ShutdownKind.PowerOff));
        Assert.That(p.Shutdown.Pending.Reason, Does.Contain("WAIT with interrupts disabled"));
    }

    [Test]
    public void Cache_rdhwr_ghfc_and_interrupt_exits()
    {
        var (h, p, _, v) = Make();
        h.Handle(v, Gpsi(I(Cache, 4, 0x08, 0)));
        Assert.That(v.Pc, Is.EqualTo(Pc + 4));
        v.Root = 77;
        h.Handle(v, Gpsi(0x7c00_003bu | 9u << 16 | 2u << 11));
        Assert.That(v.Gpr[9], Is.EqualTo(77u), "RDHWR $2 = guest Count");
        Assert.That(h.Handle(v, new VcpuExit(ExcCode.GE, GuestExitCode.Ghfc, 0, Mtc0(8, 12, 0), 0, false)), Is.EqualTo(ExitAction.Resume));
        Assert.That(v.Pc, Is.EqualTo(Pc + 8), "GHFC is ignored without advancing");
        Assert.That(h.Handle(v, new VcpuExit(ExcCode.Int, 0, 0, 0, 0, false)), Is.EqualTo(ExitAction.Resume));
        Assert.That(h.Handle(v, new VcpuExit(ExcCode.GE, GuestExitCode.Gpa, 0x1234, 0, 0, false)), Is.EqualTo(ExitAction.Stop));
        Assert.That(p.Shutdown.Pending!.Reason, Does.Contain("Bad TLB root access 0x00001234"));
    }

    private readonly Lazy<GuestExitHandler> _shared = new(() => Make().Handler);

    [FsCheck.NUnit.Property(MaxTest = 3000, Replay = "20260702,17")]
    public Property Any_exit_is_handled_without_throwing(byte exc, byte gexc, uint badVAddr, uint insn, uint branch, bool bd, uint a0)
    {
        var h = _shared.Value;
        var v = new FakeVcpu { InitialPc = Pc };
        v.Gpr[4] = a0;
        v.Gpr[(int)(insn >> 16 & 31)] = badVAddr;
        var action = h.Handle(v, new VcpuExit((ExcCode)(exc % 32), (GuestExitCode)(gexc % 16), badVAddr & 0x3fff_ffff, insn, branch, bd));
        return Enum.IsDefined(action.Kind).ToProperty();
    }
}
