using L4Re.Kernel.Memory;

namespace L4Re.Uvmm.Vz;

/// <summary>
/// A single-vCPU VM for bare-metal MIPS32 programs: RAM (64 MiB by default) mapped at guest-physical 0,
/// a P5600 vCPU in the architectural reset state (Status.ERL = BEV = 1, GPRs zero), and a
/// <see cref="BareMetalRunner"/>. ELF segments at kseg0/kseg1 addresses load at their physical address
/// (VA &amp; 0x1FFFFFFF); kuseg addresses load 1:1 (unmapped while ERL = 1).
/// </summary>
public sealed class BareMetalMachine
{
    /// <summary>Creates the machine with <paramref name="ramBytes"/> of RAM.</summary>
    public BareMetalMachine(long ramBytes = 64L << 20, TextWriter? console = null)
    {
        Ram = new Dataspace(ramBytes, "ram");
        SecondStage = new DataspaceSecondStage();
        SecondStage.Map(0, Ram, 0, (ulong)ramBytes);
        Vcpu = new Vcpu(SecondStage);
        Runner = new BareMetalRunner(Vcpu, console);
    }

    /// <summary>Guest RAM.</summary>
    public Dataspace Ram { get; }

    /// <summary>The guest-physical space.</summary>
    public DataspaceSecondStage SecondStage { get; }

    /// <summary>The vCPU.</summary>
    public Vcpu Vcpu { get; }

    /// <summary>The exit-handling loop.</summary>
    public BareMetalRunner Runner { get; }

    /// <summary>Loads <paramref name="elf"/> into RAM and points the PC at its entry.</summary>
    /// <exception cref="InvalidDataException">A segment lies outside RAM.</exception>
    public void Load(Elf32Image elf)
    {
        foreach (var segment in elf.Segments)
            Write(segment.VirtualAddress, segment.Data, segment.MemorySize);
        Vcpu.InvalidateAllCode();
        Vcpu.Pc = elf.Entry;
    }

    /// <summary>Copies <paramref name="data"/> to the physical address of <paramref name="virtualAddress"/>, zero-filling up to <paramref name="size"/> bytes.</summary>
    /// <exception cref="InvalidDataException">The range lies outside RAM.</exception>
    public void Write(uint virtualAddress, ReadOnlySpan<byte> data, uint size)
    {
        var pa = PhysicalAddress(virtualAddress);
        if (size < data.Length || pa + size > (ulong)Ram.Size)
            throw new InvalidDataException($"segment at 0x{virtualAddress:x8} (+0x{size:x}) lies outside the {Ram.Size >> 20} MiB of RAM");
        data.CopyTo(Ram.Span[(int)pa..]);
        Ram.Span.Slice((int)pa + data.Length, (int)size - data.Length).Clear();
        Vcpu.InvalidateCode(pa, size);
    }

    /// <summary>The physical address of an unmapped-segment virtual address (kseg0/kseg1: VA &amp; 0x1FFFFFFF; kuseg: 1:1).</summary>
    public static ulong PhysicalAddress(uint virtualAddress) =>
        virtualAddress is >= 0x8000_0000u and < 0xc000_0000u ? virtualAddress & 0x1fff_ffffu : virtualAddress;

    /// <summary>Runs until the guest stops (see <see cref="BareMetalRunner"/>).</summary>
    public BareMetalResult Run(long maxInstructions) => Runner.Run(maxInstructions);
}
