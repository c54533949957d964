using L4Re.Kernel.Memory;
using L4Re.Uvmm.Mips;
using L4Re.Uvmm.Vz;

namespace L4Re.Uvmm.Tests.Mips;

/// <summary>A vCPU over 16 MiB of RAM at GPA 0 for engine tests; programs are assembled with the in-repo assembler.</summary>
internal sealed class TestMachine
{
    public const uint CodeBase = 0x8000_1000;

    public TestMachine(long ramBytes = 16 << 20, VcpuOptions? options = null)
    {
        Ram = new Dataspace(ramBytes, "ram");
        Stage = new DataspaceSecondStage();
        Stage.Map(0, Ram, 0, (ulong)ramBytes);
        Cpu = new Vcpu(Stage, options);
    }

    public Dataspace Ram { get; }

    public DataspaceSecondStage Stage { get; }

    public Vcpu Cpu { get; }

    public AssembledProgram? Program { get; private set; }

    /// <summary>Assembles <paramref name="source"/> at <paramref name="va"/> (kseg0), loads it and points the PC at it.</summary>
    public AssembledProgram Load(string source, uint va = CodeBase)
    {
        var program = Assembler.Assemble(source, va);
        var pa = (int)(va & 0x1fff_ffff);
        program.Bytes.CopyTo(Ram.Span[pa..]);
        Cpu.InvalidateAllCode();
        Cpu.Pc = va;
        Program = program;
        return program;
    }

    /// <summary>Clears BEV and sets EBase to 0x80000000 so exceptions use RAM vectors.</summary>
    public void UseRamVectors()
    {
        Cpu.State.Status &= ~Cp0Bits.StatusBEV;
        Cpu.State.EBase = 0x8000_0000;
    }

    public uint this[int reg] => Cpu.GetGpr(reg);

    public uint Symbol(string name) => Program![name];

    public uint ReadWord(uint pa) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(Ram.Span[(int)pa..]);

    public void WriteWord(uint pa, uint value) => System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(Ram.Span[(int)pa..], value);

    /// <summary>Runs until an exit; asserts it is the WAIT GPSI exit that ends every test program.</summary>
    public VcpuExit RunToWait(long max = 10_000_000)
    {
        var exit = Cpu.Run(max);
        Assert.That(exit.IsGuestExit(GuestExitCode.Gpsi) && InstructionDecoder.DecodeOp(exit.BadInstr) == Op.Wait, Is.True, $"expected the final WAIT, got {exit}");
        return exit;
    }
}
