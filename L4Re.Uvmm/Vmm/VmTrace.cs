using System.Text;
using L4Re.Uvmm.Mips;
using L4Re.Uvmm.Vz;

namespace L4Re.Uvmm.Vmm;

/// <summary>
/// Debugging aids for a <see cref="MipsVm"/> that cost nothing while the VM has no trace: a ring buffer of the last
/// N executed PCs (from instruction <see cref="StartAt"/> on, the vCPU is single-stepped, so expect it to be slow),
/// a log of the last guest exceptions and interrupts, and of the last VM exits.
/// </summary>
public sealed class VmTrace
{
    private readonly uint[] _pcs;
    private readonly GuestException[] _exceptions;
    private readonly string[] _exits;
    private long _pcCount;
    private long _exceptionCount;
    private long _exitCount;

    /// <summary>Creates a trace.</summary>
    /// <param name="pcHistory">PCs to keep (0: none, the vCPU runs at full speed).</param>
    /// <param name="exceptionHistory">Guest exceptions to keep.</param>
    /// <param name="exitHistory">VM exits to keep.</param>
    public VmTrace(int pcHistory = 0, int exceptionHistory = 64, int exitHistory = 32)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pcHistory);
        ArgumentOutOfRangeException.ThrowIfNegative(exceptionHistory);
        ArgumentOutOfRangeException.ThrowIfNegative(exitHistory);
        _pcs = new uint[pcHistory];
        _exceptions = new GuestException[exceptionHistory];
        _exits = new string[exitHistory];
    }

    /// <summary>The instruction count from which PCs are recorded (single-stepping starts there).</summary>
    public long StartAt { get; set; }

    /// <summary>A guest-physical word to watch while single-stepping: every change is reported to <see cref="OnWatch"/>.</summary>
    public ulong? WatchAddress { get; set; }

    /// <summary>Receives watchpoint hits: the PC of the storing instruction, the instruction count, old and new value.</summary>
    public Action<uint, long, uint, uint>? OnWatch { get; set; }

    /// <summary>PC samples (PC → count) taken after every resume when <see cref="Sampling"/> is on; with a small
    /// <see cref="MipsVm.Slice"/> this is a statistical profile of where the guest spends its instructions.</summary>
    public Dictionary<uint, long> Samples { get; } = [];

    /// <summary>Whether to record <see cref="Samples"/>.</summary>
    public bool Sampling { get; set; }

    /// <summary>Every guest exception is also passed here (e.g. to print it), or null.</summary>
    public GuestExceptionObserver? OnException { get; set; }

    /// <summary>Attaches the exception log to <paramref name="vcpu"/>.</summary>
    /// <param name="vcpu">The vCPU.</param>
    public void Attach(Vcpu vcpu)
    {
        ArgumentNullException.ThrowIfNull(vcpu);
        vcpu.GuestExceptionObserver = Record;
    }

    private void Record(in GuestException e)
    {
        if (_exceptions.Length > 0)
            _exceptions[_exceptionCount++ % _exceptions.Length] = e;
        OnException?.Invoke(e);
    }

    /// <summary>Resumes <paramref name="vcpu"/> like <see cref="Vcpu.Run"/>, recording PCs once <see cref="StartAt"/> is reached.</summary>
    /// <param name="vcpu">The vCPU.</param>
    /// <param name="budget">Instruction budget.</param>
    /// <returns>The exit.</returns>
    public VcpuExit Run(Vcpu vcpu, long budget) => Run(vcpu, budget, null);

    /// <summary>As <see cref="Run(Vcpu, long)"/>, with access to guest RAM for <see cref="WatchAddress"/>.</summary>
    /// <param name="vcpu">The vCPU.</param>
    /// <param name="budget">Instruction budget.</param>
    /// <param name="ram">Guest RAM, or null.</param>
    /// <returns>The exit.</returns>
    public VcpuExit Run(Vcpu vcpu, long budget, GuestRam? ram)
    {
        ArgumentNullException.ThrowIfNull(vcpu);
        VcpuExit exit;
        if (_pcs.Length == 0 || vcpu.InstructionsRetired + budget <= StartAt)
        {
            exit = vcpu.Run(budget);
            // Only slice ends are samples: exits would bias the profile towards exiting instructions.
            if (Sampling && exit.Reason == VcpuExitReason.InstructionLimit && vcpu.InstructionsRetired >= StartAt)
                Samples[vcpu.Pc] = Samples.GetValueOrDefault(vcpu.Pc) + 1;
        }
        else
        {
            var before = vcpu.InstructionsRetired;
            if (before < StartAt)
            {
                exit = vcpu.Run(StartAt - before);
                if (exit.Reason == VcpuExitReason.Exception)
                    return Note(exit);
                budget -= StartAt - before;
            }
            var start = vcpu.InstructionsRetired;
            exit = default;
            var watch = WatchAddress is { } w && ram?.Find(w, 4) is not null ? w : (ulong?)null;
            var watched = watch is { } wa ? ReadWord(ram!, wa) : 0;
            for (var i = 0L; i < budget; i++)
            {
                var pc = vcpu.Pc;
                _pcs[_pcCount++ % _pcs.Length] = pc;
                exit = vcpu.Run(1);
                if (watch is { } at && ReadWord(ram!, at) is var now && now != watched)
                {
                    OnWatch?.Invoke(pc, vcpu.InstructionsRetired, watched, now);
                    watched = now;
                }
                if (exit.Reason != VcpuExitReason.InstructionLimit)
                    break;
            }
            exit = exit with { Instructions = vcpu.InstructionsRetired - start };
        }
        return Note(exit);
    }

    private static uint ReadWord(GuestRam ram, ulong address)
    {
        Span<byte> b = stackalloc byte[4];
        ram.Read(address, b);
        return BitConverter.ToUInt32(b);
    }

    private VcpuExit Note(VcpuExit exit)
    {
        if (exit.Reason == VcpuExitReason.Exception && _exits.Length > 0)
            _exits[_exitCount++ % _exits.Length] = exit.ToString();
        return exit;
    }

    /// <summary>The recorded PCs, oldest first.</summary>
    public uint[] RecentPcs() => Recent(_pcs, _pcCount);

    /// <summary>The recorded guest exceptions, oldest first.</summary>
    public GuestException[] RecentExceptions() => Recent(_exceptions, _exceptionCount);

    /// <summary>The recorded VM exits, oldest first.</summary>
    public string[] RecentExits() => Recent(_exits, _exitCount);

    private static T[] Recent<T>(T[] ring, long count)
    {
        var n = (int)Math.Min(count, ring.Length);
        var result = new T[n];
        for (var i = 0; i < n; i++)
            result[i] = ring[(count - n + i) % ring.Length];
        return result;
    }

    /// <summary>A report: recent exits, exceptions and PCs (disassembled from guest memory where possible).</summary>
    /// <param name="vm">The VM (for reading code).</param>
    public string Format(MipsVm vm)
    {
        ArgumentNullException.ThrowIfNull(vm);
        var sb = new StringBuilder();
        sb.AppendLine($"vCPU {vm.Vcpu.Id}: pc 0x{vm.Vcpu.Pc:x8}, {vm.Instructions} instructions, status 0x{vm.Vcpu.State.Status:x8}, cause 0x{vm.Vcpu.State.Cause:x8}, epc 0x{vm.Vcpu.State.Epc:x8}, badvaddr 0x{vm.Vcpu.State.BadVAddr:x8}");
        var gpr = new StringBuilder();
        for (var i = 0; i < 32; i++)
            gpr.Append($"{RegisterNames.Gpr(i),5}=0x{vm.Vcpu.GetGpr(i):x8}{(i % 8 == 7 ? "\n" : " ")}");
        sb.Append(gpr);
        foreach (var e in RecentExits())
            sb.AppendLine($"exit: {e}");
        foreach (var e in RecentExceptions())
            sb.AppendLine($"exception: {e}");
        foreach (var pc in RecentPcs())
            sb.AppendLine($"pc: 0x{pc:x8}  {Disassemble(vm, pc)}");
        return sb.ToString();
    }

    /// <summary>The instruction at a kseg0/kseg1 address, disassembled, or "?" when it is not in RAM.</summary>
    /// <param name="vm">The VM.</param>
    /// <param name="pc">A guest virtual address.</param>
    public static string Disassemble(MipsVm vm, uint pc)
    {
        ArgumentNullException.ThrowIfNull(vm);
        if (pc < 0x8000_0000 || pc >= 0xc000_0000)
            return "?";
        var pa = pc & 0x1fff_ffffu;
        if (vm.Ram.Find(pa, 4) is null)
            return "?";
        Span<byte> word = stackalloc byte[4];
        vm.Ram.Read(pa, word);
        return Disassembler.Format(BitConverter.ToUInt32(word), pc);
    }
}
