using BenchmarkDotNet.Attributes;
using L4Re.Uvmm.DeviceTree;
using L4Re.Uvmm.Vmm;

namespace L4Re.Benchmarks;

/// <summary>The VMM's exit paths: an MMIO exit decoded from BadInstr and dispatched to a device, and DTB flattening/parsing.</summary>
[MemoryDiagnoser]
public class VmmBenchmarks
{
    private readonly uint[] _gpr = new uint[32];
    private MipsVirtualPlatform _platform = null!;
    private DtTree _tree = null!;
    private byte[] _dtb = null!;

    /// <summary>Builds the default virtual platform (16 MiB RAM).</summary>
    [GlobalSetup]
    public void Setup()
    {
        _platform = new MipsVirtualPlatform(MipsPlatformTree.Create(new MipsPlatformOptions { MemorySize = 16 << 20 }), new ManualClock());
        _platform.Build();
        _tree = MipsPlatformTree.Create();
        _dtb = _tree.ToDtb();
        _gpr[5] = 0x5a;
    }

    /// <summary>A GPA exit for <c>sw $5, 0x1c($4)</c> to the UART scratch register: decode, bus lookup, device write, PC advance.</summary>
    [Benchmark]
    public uint MmioExitStoreToUart()
    {
        var pc = 0x8010_0000u;
        MmioEmulation.Handle(_platform.Vm.Mmio, 0, 0x1f04a01c, 0xac85_001c, 0, false, _gpr, ref pc);
        return pc;
    }

    /// <summary>A GPA exit for <c>lw $2, 0x480($4)</c> (GIC_SH_PEND) in the delay slot of a <c>bne</c>.</summary>
    [Benchmark]
    public uint MmioExitLoadFromGicInDelaySlot()
    {
        var pc = 0x8010_0000u;
        MmioEmulation.Handle(_platform.Vm.Mmio, 0, 0x1bdc0480, 0x8c82_0480, 0x1485_0010, true, _gpr, ref pc);
        return pc;
    }

    /// <summary>Flatten the default platform tree to a DTB.</summary>
    [Benchmark]
    public int WriteDefaultDtb() => _tree.ToDtb().Length;

    /// <summary>Parse the default platform DTB.</summary>
    [Benchmark]
    public int ParseDefaultDtb() => DtTree.FromDtb(_dtb).Root.Children.Count;
}
