using L4Re.Uvmm.Mips;
using L4Re.Uvmm.Vmm;
using L4Re.Uvmm.Vz;

namespace L4Re.Uvmm.Tests.Vmm;

/// <summary>
/// A VM of the default platform (16 MiB, no kernel) whose vCPU runs programs assembled in the test, with the
/// VMM's exit handler completing the exits — the VMM as it runs a real guest.
/// </summary>
internal sealed class VmmMachine
{
    public const uint CodeBase = 0x8000_1000;

    public VmmMachine(int cpus = 1, MipsPlatformOptions? options = null)
    {
        Vm = new VmBuilder().WithPlatform((options ?? new MipsPlatformOptions()) with { CpuCount = cpus, MemorySize = 16 << 20 }).Build();
    }

    public MipsVm Vm { get; }

    public Vcpu Cpu => Vm.Vcpu;

    public MipsVirtualPlatform Platform => Vm.Platform;

    public GuestExitHandler Handler => Vm.Exits;

    public AssembledProgram? Program { get; private set; }

    public uint this[int reg] => Cpu.GetGpr(reg);

    /// <summary>Assembles <paramref name="source"/> at <paramref name="va"/> (kseg0), loads it and points the PC at it.</summary>
    public AssembledProgram Load(string source, uint va = CodeBase)
    {
        var program = Assembler.Assemble(source, va);
        Vm.Ram.Write(va & 0x1fff_ffff, program.Bytes);
        Cpu.InvalidateAllCode();
        Cpu.Pc = va;
        Program = program;
        return program;
    }

    public uint Symbol(string name) => Program![name];

    /// <summary>Runs to the next exit the VMM handles (not a slice end) and returns it, without handling it.</summary>
    public VcpuExit NextExit(long max = 1_000_000)
    {
        var exit = Cpu.Run(max);
        Assert.That(exit.Reason, Is.EqualTo(VcpuExitReason.Exception), $"expected an exit, got {exit}");
        return exit;
    }

    /// <summary>Runs, letting the handler complete every exit, until the program's final WAIT (interrupts off) exits.</summary>
    public void RunToWait(long max = 1_000_000)
    {
        for (var i = 0; i < 1000; i++)
        {
            var exit = NextExit(max);
            if (exit.IsGuestExit(GuestExitCode.Gpsi) && InstructionDecoder.DecodeOp(exit.BadInstr) == Op.Wait)
                return;
            var action = Handler.Handle(Cpu, exit);
            Assert.That(action, Is.EqualTo(ExitAction.Resume), $"{exit}: {Platform.Shutdown.Pending?.Reason}");
        }
        Assert.Fail("the program did not reach its WAIT");
    }
}
