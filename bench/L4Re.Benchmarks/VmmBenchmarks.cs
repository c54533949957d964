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

    /// <summary>A GPA exit for <c>sw $5, 0x1c($4)</c> to the UART scratch register: decode, bus lookup, device write.</summary>
    [Benchmark]
    public bool MmioExitStoreToUart()
    {
        var access = MmioEmulation.Decode(0xac85_001c);
        return MmioEmulation.Store(_platform.Vm.Mmio, 0, 0x1f04a01c, access, _gpr[access.Register]);
    }

    /// <summary>A GPA exit for <c>lw $2, 0x480($4)</c> (GIC_SH_PEND): decode, bus lookup, device read.</summary>
    [Benchmark]
    public uint MmioExitLoadFromGic()
    {
        var access = MmioEmulation.Decode(0x8c82_0480);
        MmioEmulation.Load(_platform.Vm.Mmio, 0, 0x1bdc0480, access, _gpr[access.Register], out var value);
        return value;
    }

    /// <summary>Flatten the default platform tree to a DTB.</summary>
    [Benchmark]
    public int WriteDefaultDtb() => _tree.ToDtb().Length;

    /// <summary>Parse the default platform DTB.</summary>
    [Benchmark]
    public int ParseDefaultDtb() => DtTree.FromDtb(_dtb).Root.Children.Count;
}
