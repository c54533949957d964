using L4Re.Kernel.Memory;
using L4Re.Uvmm.Mips;

namespace L4Re.Uvmm.Vz;

/// <summary>
/// A minimal Linux user-mode environment for static mipsel ELF programs (o32 ABI), used to compare the engine
/// with qemu-user: the program runs in guest user mode (Status.KSU = 2) through one wired guest TLB entry pair
/// (user VA 0–32 MiB → GPA 32–64 MiB, 16 MiB pages); exceptions enter a two-instruction kernel stub at
/// 0x80000180 that executes <c>hypcall 1</c>, and the harness emulates the system calls write (4004), exit
/// (4001) and exit_group (4246) — others fail with ENOSYS — or ends the process with the signal Linux would send.
/// </summary>
public sealed class LinuxUserHarness
{
    /// <summary>Size of the user address space (VA 0 up to here).</summary>
    public const uint UserSize = 32u << 20;

    /// <summary>Guest-physical address of user VA 0.</summary>
    public const uint UserBase = 32u << 20;

    /// <summary>Initial stack pointer.</summary>
    public const uint StackTop = UserSize - 0x1_0000;

    private const uint StubHypcall = 1;
    private const int SysWrite = 4004, SysExit = 4001, SysExitGroup = 4246, Enosys = 89, Efault = 14;

    private readonly Dataspace _ram = new(64L << 20, "user-ram");
    private readonly DataspaceSecondStage _stage = new();

    /// <summary>Creates the harness and its vCPU.</summary>
    public LinuxUserHarness()
    {
        _stage.Map(0, _ram, 0, (ulong)_ram.Size);
        Vcpu = new Vcpu(_stage);
    }

    /// <summary>The vCPU (registers are readable after a run).</summary>
    public Vcpu Vcpu { get; }

    /// <summary>Loads <paramref name="elf"/> (segments must lie in the user range) and runs it for at most <paramref name="maxInstructions"/> instructions.</summary>
    /// <exception cref="InvalidDataException">A segment lies outside the user address space.</exception>
    public LinuxUserResult Run(Elf32Image elf, long maxInstructions)
    {
        ArgumentNullException.ThrowIfNull(elf);
        _ram.Span.Clear();
        foreach (var s in elf.Segments)
        {
            if ((ulong)s.VirtualAddress + s.MemorySize > StackTop - 0x10_0000)
                throw new InvalidDataException($"segment 0x{s.VirtualAddress:x8}+0x{s.MemorySize:x} is outside the user address space (below 0x{StackTop - 0x10_0000:x8})");
            s.Data.CopyTo(_ram.Span[(int)(UserBase + s.VirtualAddress)..]);
        }
        var stub = Assembler.Assemble("""
                j 0x80000180
                nop
                .org 0x80000180
                hypcall 1
                eret
            """, 0x8000_0000);
        stub.Bytes.CopyTo(_ram.Span);

        var cpu = Vcpu;
        cpu.Reset();
        cpu.InvalidateAllCode();
        // Wired TLB entry 0: VA [0, 32 MiB) → GPA [32, 64) MiB, 16 MiB pages, global, dirty, cacheable.
        cpu.Tlb[0] = new TlbEntry(0, 0x01ff_e000, (UserBase >> 12) << 6 | 0x1f, ((UserBase + (16u << 20)) >> 12) << 6 | 0x1f);
        var s0 = cpu.State;
        s0.Wired = 1;
        s0.EBase = 0x8000_0000;
        s0.HwrEna = Cp0Bits.HwrEnaUlr;
        s0.Status = 2u << 3; // user mode, EXL = ERL = BEV = 0
        // Linux initial stack: argc = 0, argv = { NULL }, envp = { NULL }, auxv = { AT_NULL }.
        cpu.SetGpr(29, StackTop);
        cpu.Pc = elf.Entry;

        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        long executed = 0;
        while (true)
        {
            var exit = cpu.Run(maxInstructions - executed);
            executed += exit.Instructions;
            if (exit.Reason != VcpuExitReason.Exception)
                return new LinuxUserResult(LinuxUserStop.Limit, 0, 0, stdout.ToArray(), stderr.ToArray(), executed, exit.ToString());
            if (!exit.IsGuestExit(GuestExitCode.Hypercall) || ((exit.BadInstr >> 11) & 0x3ff) != StubHypcall)
                return new LinuxUserResult(LinuxUserStop.Fault, 0, 0, stdout.ToArray(), stderr.ToArray(), executed, exit.ToString());
            executed++;
            var code = (ExcCode)((s0.Cause >> 2) & 0x1f);
            if (code != ExcCode.Sys || (s0.Cause & Cp0Bits.CauseBD) != 0)
            {
                var signal = code switch
                {
                    ExcCode.RI or ExcCode.CpU => 4,                // SIGILL
                    ExcCode.Bp or ExcCode.Tr => 5,                 // SIGTRAP
                    ExcCode.Ov => 8,                               // SIGFPE
                    ExcCode.AdEL or ExcCode.AdES => 10,            // SIGBUS
                    _ => 11,                                       // SIGSEGV
                };
                return new LinuxUserResult(LinuxUserStop.Signaled, 0, signal, stdout.ToArray(), stderr.ToArray(), executed,
                    $"{code} at 0x{s0.Epc:x8}, BadVAddr 0x{s0.BadVAddr:x8}, instr 0x{s0.BadInstr:x8}");
            }
            var number = (int)cpu.GetGpr(2);
            if (number is SysExit or SysExitGroup)
                return new LinuxUserResult(LinuxUserStop.Exited, (int)(cpu.GetGpr(4) & 0xff), 0, stdout.ToArray(), stderr.ToArray(), executed, "exit");
            var (result, error) = number == SysWrite ? Write(cpu.GetGpr(4), cpu.GetGpr(5), cpu.GetGpr(6), stdout, stderr) : ((uint)Enosys, true);
            cpu.SetGpr(2, result);
            cpu.SetGpr(7, error ? 1u : 0u);
            s0.Epc += 4;
            cpu.SkipInstruction(); // continue with the stub's ERET
        }
    }

    private (uint Result, bool Error) Write(uint fd, uint buffer, uint length, MemoryStream stdout, MemoryStream stderr)
    {
        if (fd is not (1 or 2))
            return (9, true); // EBADF
        if ((ulong)buffer + length > UserSize)
            return (Efault, true);
        (fd == 1 ? stdout : stderr).Write(_ram.Span.Slice((int)(UserBase + buffer), (int)length));
        return (length, false);
    }
}
