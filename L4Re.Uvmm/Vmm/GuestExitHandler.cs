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
    /// <param name="vcpu">The vCPU, stopped at <paramref name="exit"/>.</param>
    /// <param name="exit">What the hardware reported.</param>
    /// <returns>What the run loop does next.</returns>
    public ExitAction Handle(Vcpu vcpu, in VcpuExit exit)
    {
        ArgumentNullException.ThrowIfNull(vcpu);
        ExitAction action;
        if (exit.Reason != VcpuExitReason.Exception)
        {
            action = ExitAction.Resume; // slice over or stop request: devices are polled below
        }
        else
        {
            switch (exit.ExcCode)
            {
                case ExcCode.Int:
                    action = ExitAction.Resume; // an interrupt or event for the VMM thread
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
        }
        _platform.Poll();
        UpdateInterrupts(vcpu);
        return action;
    }

    /// <summary>Writes the vCPU's pending core interrupt lines into GuestCtl2.VIP (uvmm <c>Mips_core_ic::update_vcpu</c>).</summary>
    /// <param name="vcpu">The vCPU.</param>
    public void UpdateInterrupts(Vcpu vcpu)
    {
        if (_platform.Cores[vcpu.Id] is { } ic)
        {
            var updated = ic.ApplyToGuestCtl2(vcpu.State.GuestCtl2);
            if (updated != vcpu.State.GuestCtl2)
                vcpu.State.GuestCtl2 = updated;
        }
    }

    private ExitAction HandleMmio(Vcpu vcpu, in VcpuExit exit)
    {
        var result = MmioEmulation.Handle(_platform.Vm.Mmio, vcpu, exit);
        return result switch
        {
            MmioResult.Done or MmioResult.Skipped => ExitAction.Resume,
            MmioResult.Unmapped => Halt(vcpu, $"Bad page fault ({(exit.ExcCode == ExcCode.TlbL ? "read" : "write")}) 0x{exit.BadVAddr:x8}"),
            _ => Halt(vcpu, $"cannot emulate the access 0x{exit.BadInstr:x8} to 0x{exit.BadVAddr:x8}"),
        };
    }

    /// <summary>Completes an emulated instruction: the vCPU continues after it (uvmm <c>jump_instruction</c>).</summary>
    private static ExitAction Skip(Vcpu vcpu)
    {
        vcpu.SkipInstruction();
        return ExitAction.Resume;
    }

    /// <summary>Completes an emulated instruction that writes <paramref name="value"/> to GPR <paramref name="rt"/>.</summary>
    private static ExitAction Complete(Vcpu vcpu, int rt, uint value)
    {
        vcpu.SkipInstruction();
        vcpu.SetGpr(rt, value);
        return ExitAction.Resume;
    }

    /// <summary>
    /// Config7 as the P5600 reports it where it matters to Linux: AR (bit 16, data cache alias removal) and IAR
    /// (bit 10, instruction cache alias removal) — the engine's caches are coherent with memory, so the guest need
    /// not flush for virtual aliases (Linux <c>c-r4k.c</c> <c>probe_pcache</c>).
    /// </summary>
    public const uint Config7 = 1u << 16 | 1u << 10;

    private static int Rt(uint insn) => (int)(insn >> 16 & 0x1f);

    private static Cp0Register Cp0Id(uint insn) => (Cp0Register)((insn >> 11 & 0x1f) << 3 | (insn & 7));

    private static string Cp0Name(uint insn) => $"{insn >> 11 & 0x1f},{insn & 7}";

    // ---- GPSI ----

    private ExitAction HandleGpsi(Vcpu vcpu, in VcpuExit exit)
    {
        var insn = exit.BadInstr;
        switch (InstructionDecoder.DecodeOp(insn))
        {
            case Op.Mfc0:
                return HandleMfc0(vcpu, insn);
            case Op.Mtc0:
                return HandleMtc0(vcpu, insn);
            case Op.Wait:
                return HandleWait(vcpu, insn);
            case Op.Cache:
                return Skip(vcpu); // index operations: coherency is the host's business (uvmm ignores CACHE)
            case Op.Rdhwr when (insn >> 11 & 0x1f) == 2:
                return Complete(vcpu, Rt(insn), vcpu.GuestCount); // RDHWR rt, $2 (CC) with GT = 0
            default:
                return Halt(vcpu, $"unhandled sensitive instruction 0x{insn:x8}");
        }
    }

    private ExitAction HandleMfc0(Vcpu vcpu, uint insn)
    {
        uint value;
        switch (Cp0Id(insn))
        {
            case Cp0Register.GlobalNumber:
                value = (uint)vcpu.Id << 8; // VPNum 7:0 = 0, CoreNum 15:8
                break;
            case Cp0Register.PrId:
                value = _platform.Vm.Cpus.FirstOrDefault(c => c.Id == vcpu.Id)?.ProcessorId ?? Devices.MipsCpu.DefaultProcessorId;
                break;
            case Cp0Register.CmgcrBase:
                value = _platform.Cm.CmGcrBaseRegister;
                break;
            case Cp0Register.Count:
                value = vcpu.GuestCount;
                break;
            case Cp0Register.Compare:
                value = vcpu.State.Compare;
                break;
            case Cp0Register.SrsCtl:
            case Cp0Register.SrsMap:
            case Cp0Register.CdmmBase:
            case Cp0Register.Maar:
            case Cp0Register.MaarI:
            case Cp0Register.ErrCtl:
            case Cp0Register.Config6:
                value = 0; // no shadow sets, CDMM, MAARs, parity control, FTLB
                break;
            case Cp0Register.Config7:
                value = Config7; // WII = 0: Linux idles with r4k_wait
                break;
            default:
                return Halt(vcpu, $"MFC0 of unhandled register {Cp0Name(insn)}");
        }
        return Complete(vcpu, Rt(insn), value);
    }

    private ExitAction HandleMtc0(Vcpu vcpu, uint insn)
    {
        var value = vcpu.GetGpr(Rt(insn));
        switch (Cp0Id(insn))
        {
            case Cp0Register.Count:
                vcpu.State.GtOffset = (int)(value - vcpu.RootCount); // uvmm: guest_timer_offset = newcnt - kcnt
                break;
            case Cp0Register.Compare:
                vcpu.State.Compare = value;
                vcpu.State.Cause &= ~Cp0Bits.CauseTI; // writing Compare acknowledges the timer
                break;
            case Cp0Register.LlAddr:
                if ((value & 1) == 0)
                    vcpu.ClearLlBit();
                break;
            case >= Cp0Register.Config0 and <= Cp0Register.Config7: // read-only here (uvmm: "config registers are read-only atm")
            case Cp0Register.Maar:
            case Cp0Register.MaarI:
            case Cp0Register.ErrCtl:
            case Cp0Register.TagLo or Cp0Register.DataLo or Cp0Register.TagHi or Cp0Register.DataHi: // cache initialisation is ignored
                break;
            default:
                return Halt(vcpu, $"MTC0 to unhandled register {Cp0Name(insn)}");
        }
        return Skip(vcpu);
    }

    // ---- GSFC ----

    private ExitAction HandleGsfc(Vcpu vcpu, in VcpuExit exit)
    {
        var insn = exit.BadInstr;
        if (InstructionDecoder.DecodeOp(insn) != Op.Mtc0)
            return Halt(vcpu, $"software field change by 0x{insn:x8}");
        var value = vcpu.GetGpr(Rt(insn));
        var state = vcpu.State;
        switch (Cp0Id(insn))
        {
            case Cp0Register.Status:
                state.Status = value;
                break;
            case Cp0Register.Cause:
                state.Cause = (state.Cause & ~P5600Guest.CauseSoftFields) | (value & P5600Guest.CauseSoftFields);
                break;
            case Cp0Register.IntCtl:
                state.IntCtl = value; // VS
                break;
            case Cp0Register.Config5:
                state.SetConfig(5, value);
                break;
            default:
                return Halt(vcpu, $"software field change of register {Cp0Name(insn)}");
        }
        return Skip(vcpu);
    }

    // ---- HYPCALL ----

    private ExitAction HandleHypercall(Vcpu vcpu, in VcpuExit exit)
    {
        var code = Hypercall.Decode(exit.BadInstr);
        switch (code)
        {
            case Hypercall.PutChar:
                PutChar?.Invoke((byte)vcpu.GetGpr(4));
                return Skip(vcpu);
            case Hypercall.PowerOff:
                _platform.Shutdown.Request(new ShutdownRequest(ShutdownKind.PowerOff, vcpu.GetGpr(4), "hypercall power-off"));
                return ExitAction.Stop;
            case Hypercall.Reboot:
                _platform.Shutdown.Request(new ShutdownRequest(ShutdownKind.Reboot, Devices.SysconL4vmm.RebootValue, "hypercall reboot"));
                return ExitAction.Stop;
            default:
                return Halt(vcpu, code is null ? $"hypercall exit for 0x{exit.BadInstr:x8}" : $"unhandled hypercall 0x{code:x}");
        }
    }

    // ---- WAIT ----

    private ExitAction HandleWait(Vcpu vcpu, uint insn)
    {
        vcpu.SkipInstruction();
        var state = vcpu.State;
        var status = state.Status;
        var vip = (_platform.Cores[vcpu.Id]?.PendingLines ?? 0) << 10;
        var cause = state.Cause | vip; // Cause.TI shows as IP[IntCtl.IPTI]
        if ((status & Cp0Bits.StatusIM) != 0 && (cause & status & Cp0Bits.StatusIM) != 0)
            return ExitAction.Resume; // an unmasked interrupt is already pending (uvmm: has_pending / timer interrupt)
        var enabled = (status & Cp0Bits.StatusIE) != 0 && (status & (Cp0Bits.StatusEXL | Cp0Bits.StatusERL)) == 0 && (status & Cp0Bits.StatusIM) != 0;
        if (!enabled)
        {
            // Linux's machine_power_off/machine_halt end in machine_hang: interrupts off, Status.IM cleared, WAIT.
            _platform.Shutdown.Request(new ShutdownRequest(ShutdownKind.PowerOff, 0, $"WAIT with interrupts disabled (Status 0x{status:x8}) at 0x{insn:x8}"));
            return ExitAction.Stop;
        }
        var now = _clock.NowNanoseconds;
        var wake = ulong.MaxValue;
        var timerLine = (int)(state.IntCtl >> Cp0Bits.IntCtlIptiShift);
        if (timerLine >= 2 && (status >> (8 + timerLine) & 1) != 0)
        {
            var ticks = state.Compare - vcpu.GuestCount;
            var delta = ticks == 0 ? 1UL << 32 : ticks;
            wake = now + VmTime.Nanoseconds(delta, CountHz);
        }
        if (_platform.NextDeadline is { } device && device < wake)
            wake = Math.Max(device, now);
        return new ExitAction(ExitKind.Sleep, wake);
    }

    private ExitAction Halt(Vcpu vcpu, string reason)
    {
        var text = $"vCPU {vcpu.Id} at 0x{vcpu.Pc:x8}: {reason}. Halting.";
        LogHalt(_log, text);
        _platform.Shutdown.Request(new ShutdownRequest(ShutdownKind.Halt, 0, text));
        return ExitAction.Stop;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Text}")]
    private static partial void LogHalt(ILogger logger, string text);
}
