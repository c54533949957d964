using L4Re.Uvmm.Mips;
using L4Re.Uvmm.Vz;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace L4Re.Uvmm.Vmm;

/// <summary>
/// Handles vCPU exits as uvmm's MIPS guest does (ARCH-mips <c>guest.cc</c> <c>Guest::handle_entry</c>,
/// <c>guest.h</c> <c>handle_gpsi_mfc0</c>/<c>handle_gpsi_mtc0</c>/<c>handle_software_field_change</c>/<c>handle_wait</c>):
/// root TLB faults are MMIO (<see cref="MmioEmulation"/>); guest exits are GPSI (MFC0 of PRId, GlobalNumber,
/// CMGCRBase, SRSCtl, Config6/7, MAAR, ErrCtl; MTC0 Count → GTOffset; WAIT; CACHE ignored; RDHWR CC), GSFC
/// (MTC0 Status/Cause/IntCtl/Config5 completed by the VMM), HYPCALL (<see cref="Hypercall"/>), GHFC (ignored);
/// anything else halts the VM with a reason. After every exit the vCPU's GuestCtl2.VIP is updated from its core
/// interrupt controller (uvmm <c>Mips_core_ic::update_vcpu</c>). Never throws for any exit contents.
/// </summary>
public sealed partial class GuestExitHandler
{
    private readonly MipsVirtualPlatform _platform;
    private readonly IVmClock _clock;
    private readonly ILogger _log;

    /// <summary>Creates the handler.</summary>
    /// <param name="platform">The VM's devices.</param>
    /// <param name="clock">Virtual time.</param>
    /// <param name="countHz">The rate of CP0 Count (Linux's generic kernel: half the CPU clock of the <c>cpu@0</c> clock).</param>
    /// <param name="loggerFactory">Logging, or null.</param>
    public GuestExitHandler(MipsVirtualPlatform platform, IVmClock clock, ulong countHz, ILoggerFactory? loggerFactory = null)
    {
        ArgumentOutOfRangeException.ThrowIfZero(countHz);
        _platform = platform;
        _clock = clock;
        CountHz = countHz;
        _log = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<GuestExitHandler>();
    }

    /// <summary>The CP0 Count rate.</summary>
    public ulong CountHz { get; }

    /// <summary>Receives the characters of HYPCALL 0x160 (uvmm's <c>Guest_print_buffer</c>), or null to drop them.</summary>
    public Action<byte>? PutChar { get; set; }

    /// <summary>Handles one exit and updates the vCPU's state.</summary>
    /// <param name="vcpu">The vCPU.</param>
    /// <param name="exit">What the hardware reported.</param>
    /// <returns>What the run loop does next.</returns>
    public ExitAction Handle(IVcpuContext vcpu, in VcpuExit exit)
    {
        ExitAction action;
        switch (exit.ExcCode)
        {
            case ExcCode.Int:
                action = ExitAction.Resume; // an interrupt or event for the VMM thread: devices are polled below
                break;
            case ExcCode.Mod:
            case ExcCode.TlbL:
            case ExcCode.TlbS:
                action = HandleMmio(vcpu, exit);
                break;
            case ExcCode.GE:
                action = exit.GuestExitCode switch
                {
                    GuestExitCode.Gpsi => HandleGpsi(vcpu, exit),
                    GuestExitCode.Gsfc => HandleGsfc(vcpu, exit),
                    GuestExitCode.Hypercall => HandleHypercall(vcpu, exit),
                    GuestExitCode.Ghfc => ExitAction.Resume, // uvmm: "Hardware change ignored"
                    GuestExitCode.Gpa => Halt(vcpu, $"Bad TLB root access 0x{exit.BadVAddr:x8}"),
                    _ => Halt(vcpu, $"unhandled guest exit {exit.GuestExitCode}, instruction 0x{exit.BadInstr:x8}"),
                };
                break;
            default:
                action = Halt(vcpu, $"unknown cause of VMM entry: {exit.ExcCode}");
                break;
        }
        _platform.Poll();
        UpdateInterrupts(vcpu);
        return action;
    }

    /// <summary>Writes the vCPU's pending core interrupt lines into GuestCtl2.VIP.</summary>
    /// <param name="vcpu">The vCPU.</param>
    public void UpdateInterrupts(IVcpuContext vcpu)
    {
        if (_platform.Cores[vcpu.Id] is { } ic)
        {
            var updated = ic.ApplyToGuestCtl2(vcpu.GuestCtl2);
            if (updated != vcpu.GuestCtl2)
                vcpu.GuestCtl2 = updated;
        }
    }

    private ExitAction HandleMmio(IVcpuContext vcpu, in VcpuExit exit)
    {
        var result = MmioEmulation.Handle(_platform.Vm.Mmio, vcpu.Id, exit.BadVAddr, exit.BadInstr, exit.BadInstrP, exit.BranchDelay, vcpu.Gpr, ref vcpu.Pc);
        return result switch
        {
            MmioResult.Done or MmioResult.Skipped => ExitAction.Resume,
            MmioResult.Unmapped => Halt(vcpu, $"Bad page fault ({(exit.ExcCode == ExcCode.TlbL ? "read" : "write")}) 0x{exit.BadVAddr:x8}"),
            MmioResult.BadBranch => Halt(vcpu, $"exit in a delay slot of 0x{exit.BadInstrP:x8}, which is not a branch"),
            _ => Halt(vcpu, $"cannot emulate the access 0x{exit.BadInstr:x8} to 0x{exit.BadVAddr:x8}"),
        };
    }

    private ExitAction Skip(IVcpuContext vcpu, in VcpuExit exit) =>
        MmioEmulation.SkipInstruction(vcpu.Gpr, ref vcpu.Pc, exit.BranchDelay, exit.BadInstrP)
            ? ExitAction.Resume
            : Halt(vcpu, $"exit in a delay slot of 0x{exit.BadInstrP:x8}, which is not a branch");

    // ---- GPSI ----

    private ExitAction HandleGpsi(IVcpuContext vcpu, in VcpuExit exit)
    {
        var insn = exit.BadInstr;
        if (IsMfc0(insn))
            return HandleMfc0(vcpu, exit);
        if (IsMtc0(insn))
            return HandleMtc0(vcpu, exit);
        if (insn == 0x4200_0020)
            return HandleWait(vcpu, exit);
        if (insn >> 26 == 0x2f)
            return Skip(vcpu, exit); // CACHE: coherency is the host's business (uvmm ignores it)
        if ((insn & 0xffe0_07ff) == 0x7c00_003b && (insn >> 11 & 0x1f) == 2)
        {
            // RDHWR rt, $2 (CC): the guest's Count
            var rt = (int)(insn >> 16 & 0x1f);
            var value = GuestCount(vcpu);
            if (!MmioEmulation.SkipInstruction(vcpu.Gpr, ref vcpu.Pc, exit.BranchDelay, exit.BadInstrP))
                return Halt(vcpu, "RDHWR in a delay slot of a non-branch");
            if (rt != 0)
                vcpu.Gpr[rt] = value;
            return ExitAction.Resume;
        }
        return Halt(vcpu, $"unhandled sensitive instruction 0x{insn:x8}");
    }

    private static bool IsMfc0(uint insn) => insn >> 26 == 0x10 && (insn >> 21 & 0x1f) == 0 && (insn & 0x7f8) == 0;

    private static bool IsMtc0(uint insn) => insn >> 26 == 0x10 && (insn >> 21 & 0x1f) == 4 && (insn & 0x7f8) == 0;

    private static int Cp0Id(uint insn) => (int)(insn >> 11 & 0x1f) << 3 | (int)(insn & 7);

    private uint GuestCount(IVcpuContext vcpu) => (uint)(vcpu.RootCount + vcpu.GTOffset);

    private ExitAction HandleMfc0(IVcpuContext vcpu, in VcpuExit exit)
    {
        var insn = exit.BadInstr;
        var rt = (int)(insn >> 16 & 0x1f);
        uint value;
        switch (Cp0Id(insn))
        {
            case GuestCp0.GlobalNumber:
                value = (uint)vcpu.Id << 8; // VPNum 7:0 = 0, CoreNum 15:8
                break;
            case GuestCp0.PrId:
                value = _platform.Vm.Cpus.FirstOrDefault(c => c.Id == vcpu.Id)?.ProcessorId ?? Devices.MipsCpu.DefaultProcessorId;
                break;
            case GuestCp0.CmGcrBase:
                value = _platform.Cm.CmGcrBaseRegister;
                break;
            case GuestCp0.Count:
                value = GuestCount(vcpu);
                break;
            case GuestCp0.Compare:
                value = vcpu.ReadGuestCp0(11, 0);
                break;
            case GuestCp0.SrsCtl:
            case GuestCp0.SrsMap:
            case GuestCp0.CdmmBase:
            case GuestCp0.Maar:
            case GuestCp0.MaarI:
            case GuestCp0.ErrCtl:
            case GuestCp0.Config6:
            case GuestCp0.Config7:
                value = 0; // no shadow sets, CDMM, MAARs, parity control; Config7.WII = 0 (Linux then idles with r4k_wait)
                break;
            default:
                return Halt(vcpu, $"MFC0 of unhandled register {Cp0Id(insn) >> 3},{Cp0Id(insn) & 7}");
        }
        if (!MmioEmulation.SkipInstruction(vcpu.Gpr, ref vcpu.Pc, exit.BranchDelay, exit.BadInstrP))
            return Halt(vcpu, "MFC0 in a delay slot of a non-branch");
        if (rt != 0)
            vcpu.Gpr[rt] = value;
        return ExitAction.Resume;
    }

    private ExitAction HandleMtc0(IVcpuContext vcpu, in VcpuExit exit)
    {
        var insn = exit.BadInstr;
        var value = vcpu.Gpr[(int)(insn >> 16 & 0x1f)];
        switch (Cp0Id(insn))
        {
            case GuestCp0.Count:
                vcpu.GTOffset = (int)(value - vcpu.RootCount); // uvmm: guest_timer_offset = newcnt - kcnt
                break;
            case GuestCp0.Compare:
                vcpu.WriteGuestCp0(11, 0, value);
                break;
            case GuestCp0.LlAddr:
                if ((value & 1) == 0)
                    vcpu.ClearLlBit();
                break;
            case >= GuestCp0.Config0 and <= GuestCp0.Config7: // read-only here (uvmm: "config registers are read-only atm")
            case GuestCp0.Maar:
            case GuestCp0.MaarI:
            case GuestCp0.ErrCtl:
            case >= GuestCp0.TagLo and <= GuestCp0.TagHi + 3: // cache tag/data registers: cache initialisation is ignored
                break;
            default:
                return Halt(vcpu, $"MTC0 to unhandled register {Cp0Id(insn) >> 3},{Cp0Id(insn) & 7}");
        }
        return Skip(vcpu, exit);
    }

    // ---- GSFC ----

    private ExitAction HandleGsfc(IVcpuContext vcpu, in VcpuExit exit)
    {
        var insn = exit.BadInstr;
        if (!IsMtc0(insn))
            return Halt(vcpu, $"software field change by 0x{insn:x8}");
        var value = vcpu.Gpr[(int)(insn >> 16 & 0x1f)];
        switch (Cp0Id(insn))
        {
            case GuestCp0.Status:
                vcpu.WriteGuestCp0(12, 0, value);
                break;
            case GuestCp0.Cause:
                vcpu.WriteGuestCp0(13, 0, (vcpu.ReadGuestCp0(13, 0) & ~GuestCp0.CauseWritable) | (value & GuestCp0.CauseWritable));
                break;
            case GuestCp0.IntCtl:
                vcpu.WriteGuestCp0(12, 1, (vcpu.ReadGuestCp0(12, 1) & ~0x3e0u) | (value & 0x3e0)); // VS
                break;
            case GuestCp0.Config5:
                vcpu.WriteGuestCp0(16, 5, value);
                break;
            default:
                return Halt(vcpu, $"software field change of register {Cp0Id(insn) >> 3},{Cp0Id(insn) & 7}");
        }
        return Skip(vcpu, exit);
    }

    // ---- HYPCALL ----

    private ExitAction HandleHypercall(IVcpuContext vcpu, in VcpuExit exit)
    {
        var code = Hypercall.Decode(exit.BadInstr);
        switch (code)
        {
            case Hypercall.PutChar:
                PutChar?.Invoke((byte)vcpu.Gpr[4]);
                return Skip(vcpu, exit);
            case Hypercall.PowerOff:
                _platform.Shutdown.Request(new ShutdownRequest(ShutdownKind.PowerOff, vcpu.Gpr[4], "hypercall power-off"));
                return ExitAction.Stop;
            case Hypercall.Reboot:
                _platform.Shutdown.Request(new ShutdownRequest(ShutdownKind.Reboot, SysconReboot, "hypercall reboot"));
                return ExitAction.Stop;
            default:
                return Halt(vcpu, code is null ? $"hypercall exit for 0x{exit.BadInstr:x8}" : $"unhandled hypercall 0x{code:x}");
        }
    }

    private const uint SysconReboot = Devices.SysconL4vmm.RebootValue;

    // ---- WAIT ----

    private ExitAction HandleWait(IVcpuContext vcpu, in VcpuExit exit)
    {
        if (!MmioEmulation.SkipInstruction(vcpu.Gpr, ref vcpu.Pc, exit.BranchDelay, exit.BadInstrP))
            return Halt(vcpu, "WAIT in a delay slot of a non-branch");
        var status = vcpu.ReadGuestCp0(12, 0);
        var cause = vcpu.ReadGuestCp0(13, 0);
        var vip = (_platform.Cores[vcpu.Id]?.PendingLines ?? 0) << 10;
        if ((cause & GuestCp0.CauseTi) != 0 || ((cause | vip) & status & GuestCp0.StatusImMask) != 0)
            return ExitAction.Resume; // an interrupt is already pending (uvmm: has_pending / timer interrupt)
        var enabled = (status & GuestCp0.StatusIe) != 0 && (status & (GuestCp0.StatusExl | GuestCp0.StatusErl)) == 0 && (status & GuestCp0.StatusImMask) != 0;
        if (!enabled)
        {
            // Linux's machine_power_off/machine_halt end in machine_hang: interrupts off, Status.IM cleared, WAIT.
            _platform.Shutdown.Request(new ShutdownRequest(ShutdownKind.PowerOff, 0, $"WAIT with interrupts disabled (Status 0x{status:x8}) at 0x{exit.BadInstr:x8}"));
            return ExitAction.Stop;
        }
        var now = _clock.NowNanoseconds;
        var wake = ulong.MaxValue;
        var timerLine = (int)(vcpu.ReadGuestCp0(12, 1) >> 29); // IntCtl.IPTI
        if (timerLine >= 2 && (status >> (8 + timerLine) & 1) != 0)
        {
            var ticks = vcpu.ReadGuestCp0(11, 0) - GuestCount(vcpu);
            var delta = ticks == 0 ? 1UL << 32 : ticks;
            wake = now + VmTime.Nanoseconds(delta, CountHz);
        }
        if (_platform.NextDeadline is { } device && device < wake)
            wake = Math.Max(device, now);
        return new ExitAction(ExitKind.Sleep, wake);
    }

    private ExitAction Halt(IVcpuContext vcpu, string reason)
    {
        var text = $"vCPU {vcpu.Id} at 0x{vcpu.Pc:x8}: {reason}. Halting.";
        LogHalt(_log, text);
        _platform.Shutdown.Request(new ShutdownRequest(ShutdownKind.Halt, 0, text));
        return ExitAction.Stop;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Text}")]
    private static partial void LogHalt(ILogger logger, string text);
}
