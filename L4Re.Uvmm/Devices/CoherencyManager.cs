using L4Re.Uvmm.Vmm;

namespace L4Re.Uvmm.Devices;

/// <summary>
/// The MIPS Coherence Manager's global configuration registers (GCRs), as far as Linux's generic kernel probes
/// them (<c>arch/mips/kernel/mips-cm.c</c> <c>mips_cm_probe</c>, <c>arch/mips/include/asm/mips-cm.h</c>) — uvmm:
/// <c>Vdev::Coherency_manager</c> (ARCH-mips <c>cm.h</c>). The guest finds it through CP0 CMGCRBase (a GPSI the
/// VMM answers with <see cref="Base"/> &gt;&gt; 4). Revision CM3 (8.0) like uvmm; each vCPU is one core with one VP.
/// GCR_GIC_BASE and GCR_CPC_BASE tell where the GIC and the CPC are; GCR_CPC_BASE starts enabled so that
/// <c>mips_cpc_probe</c> finds the CPC without a board-specific default. Core-local (0x2000) and core-other
/// (0x4000, selected by GCR_Cx_OTHER) blocks hold the per-core coherence enable and reset base. The region
/// also covers the default L2-only sync page at +0x8000 that Linux enables for CM ≥ 6 (writes are ignored).
/// </summary>
public sealed class CoherencyManager : IMmioDevice
{
    /// <summary>The uvmm / Baikal-T1 CM base address.</summary>
    public const ulong DefaultBase = 0x1fbf8000;

    /// <summary>Size of the region (uvmm <c>Cm_size</c>): 32 KiB of GCRs plus the L2-only sync page.</summary>
    public const ulong RegionSize = 0x10000;

    /// <summary>GCR_REV for CM3 (major 8).</summary>
    public const uint RevisionCm3 = 8 << 8;

    internal const int GcrConfig = 0x00, GcrBase = 0x08, GcrAccess = 0x20, GcrRev = 0x30, GcrErrorMask = 0x40,
        GcrErrorCause = 0x48, GcrErrorAddr = 0x50, GcrErrorMult = 0x58, GcrL2OnlySyncBase = 0x70, GcrGicBase = 0x80,
        GcrCpcBase = 0x88, GcrReg0Base = 0x90, GcrReg3Mask = 0xc8, GcrGicStatus = 0xd0, GcrCpcStatus = 0xf0,
        GcrL2Config = 0x130, GcrSysConfig2 = 0x150, GcrBevBase = 0x680;
    internal const int CoreLocal = 0x2000, CoreOther = 0x4000, CoreBlockSize = 0x2000;
    internal const int CxResetRelease = 0x00, CxCoherence = 0x08, CxConfig = 0x10, CxOther = 0x18, CxResetBase = 0x20,
        CxId = 0x28, CxResetExtBase = 0x30;

    private readonly CoreState[] _cores;
    private readonly uint[] _regions = new uint[8];
    private uint _defaultTarget;
    private uint _access;
    private uint _errorMask;
    private uint _l2SyncBase;
    private uint _gicBase;
    private uint _cpcBase;
    private uint _bevBase;

    internal sealed class CoreState
    {
        public uint Coherence;
        public int Other;
        public uint ResetBase;
        public uint ResetExtBase;
    }

    /// <summary>Creates the CM.</summary>
    /// <param name="cpuCount">Number of cores (vCPUs).</param>
    /// <param name="gicBase">Physical address of the GIC (GCR_GIC_BASE reads it, not yet enabled), or 0.</param>
    /// <param name="cpcBase">Physical address of the CPC (GCR_CPC_BASE reads it enabled), or 0 for no CPC.</param>
    /// <param name="baseAddress">Where the CM itself is (CMGCRBase).</param>
    public CoherencyManager(int cpuCount, ulong gicBase = MipsGicDefaults.Base, ulong cpcBase = ClusterPowerController.DefaultBase, ulong baseAddress = DefaultBase)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cpuCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(cpuCount, MipsCpu.MaxCpus);
        if (baseAddress % 0x8000 != 0 || baseAddress > uint.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(baseAddress), "the GCR base must be 32 KiB aligned and 32-bit");
        Base = baseAddress;
        _cores = new CoreState[cpuCount];
        for (var i = 0; i < cpuCount; i++)
            _cores[i] = new CoreState();
        _gicBase = (uint)gicBase & 0xfffe_0000;
        _cpcBase = cpcBase == 0 ? 0 : ((uint)cpcBase & 0xffff_8000) | 1; // CPCBASE | CPCEN
        _defaultTarget = 0;
    }

    /// <summary>The CM's physical base address (CP0 CMGCRBase = Base &gt;&gt; 4).</summary>
    public ulong Base { get; }

    /// <summary>The value a guest read of CP0 CMGCRBase (register 15, select 3) returns.</summary>
    public uint CmGcrBaseRegister => (uint)(Base >> 4);

    /// <summary>Number of cores.</summary>
    public int CoreCount => _cores.Length;

    /// <inheritdoc />
    public string DeviceName => "mips-cm";

    /// <summary>GCR_GIC_BASE as last written (GICEN in bit 0).</summary>
    public uint GicBase => _gicBase;

    /// <summary>GCR_CPC_BASE (CPCEN in bit 0).</summary>
    public uint CpcBase => _cpcBase;

    /// <summary>GCR_BEV_BASE (CM3): the reset vector used when a core's reset base selects it.</summary>
    public uint BevBase => _bevBase;

    internal CoreState? Core(int core) => (uint)core < (uint)_cores.Length ? _cores[core] : null;

    /// <summary>The core selected by GCR_Cx_OTHER of <paramref name="vcpu"/> (CM3: also selects the CPC core-other block).</summary>
    /// <param name="vcpu">The accessing vCPU.</param>
    public int OtherCore(int vcpu) => Core(vcpu)?.Other ?? -1;

    /// <summary>The PC a core starts at after a CPC power-up or reset (uvmm <c>Cpu_dev::start_vcpu</c>).</summary>
    /// <param name="core">The core.</param>
    public uint ResetVector(int core)
    {
        var c = Core(core);
        if (c is null)
            return 0xbfc0_0000;
        return (c.ResetBase & 1) != 0 ? _bevBase : c.ResetBase & ~0xfffu;
    }

    /// <inheritdoc />
    public ulong Read(ulong offset, MmioWidth width, int vcpu)
    {
        if (width != MmioWidth.Word || (offset & 3) != 0 || offset >= RegionSize)
            return 0;
        var o = (int)offset;
        if (o >= CoreLocal && o < CoreLocal + CoreBlockSize)
            return ReadCore(vcpu, o - CoreLocal);
        if (o >= CoreOther && o < CoreOther + CoreBlockSize)
            return ReadCore(OtherCore(vcpu), o - CoreOther);
        return o switch
        {
            GcrConfig => (uint)(_cores.Length - 1), // PCORES = cores - 1, no IOCUs
            GcrBase => (uint)Base | _defaultTarget,
            GcrAccess => _access,
            GcrRev => RevisionCm3,
            GcrErrorMask => _errorMask,
            GcrErrorCause or GcrErrorAddr or GcrErrorMult => 0,
            GcrL2OnlySyncBase => _l2SyncBase,
            GcrGicBase => _gicBase,
            GcrCpcBase => _cpcBase,
            >= GcrReg0Base and <= GcrReg3Mask => _regions[(o - GcrReg0Base) / 8],
            GcrGicStatus => 1, // GIC present
            GcrCpcStatus => _cpcBase != 0 ? 1u : 0,
            GcrL2Config => 0, // no L2 described: Linux's mips_sc_probe_cm3 finds no line size
            GcrSysConfig2 => 1, // MAXVPW: one VP per core
            GcrBevBase => _bevBase,
            _ => 0,
        };
    }

    /// <inheritdoc />
    public void Write(ulong offset, MmioWidth width, ulong value, int vcpu)
    {
        if (width != MmioWidth.Word || (offset & 3) != 0 || offset >= RegionSize)
            return;
        var o = (int)offset;
        var v = (uint)value;
        if (o >= CoreLocal && o < CoreLocal + CoreBlockSize)
        {
            WriteCore(vcpu, o - CoreLocal, v);
            return;
        }
        if (o >= CoreOther && o < CoreOther + CoreBlockSize)
        {
            WriteCore(OtherCore(vcpu), o - CoreOther, v);
            return;
        }
        switch (o)
        {
            case GcrBase:
                _defaultTarget = v & 3; // CMDEFTGT; moving the GCRs (GCRBASE) is not supported, as in uvmm
                break;
            case GcrAccess:
                _access = v & 0xff;
                break;
            case GcrErrorMask:
                _errorMask = v;
                break;
            case GcrL2OnlySyncBase:
                _l2SyncBase = v & 0xffff_f001;
                break;
            case GcrGicBase:
                _gicBase = v & 0xfffe_0001;
                break;
            case GcrCpcBase:
                // Enabling is honoured; moving an enabled CPC is not (uvmm: "change of CPC base address ignored").
                if (_cpcBase != 0)
                    _cpcBase = (_cpcBase & ~1u) | (v & 1);
                break;
            case >= GcrReg0Base and <= GcrReg3Mask when (o & 7) == 0:
                _regions[(o - GcrReg0Base) / 8] = v;
                break;
            case GcrBevBase:
                _bevBase = v & ~0xfffu;
                break;
        }
    }

    private uint ReadCore(int core, int reg)
    {
        var c = Core(core);
        if (c is null)
            return 0;
        return reg switch
        {
            CxCoherence => c.Coherence,
            CxConfig => 0, // PVPE = 0: one VP
            CxOther => (uint)c.Other << 8,
            CxResetBase => c.ResetBase,
            CxId => (uint)core,
            CxResetExtBase => c.ResetExtBase,
            _ => 0,
        };
    }

    private void WriteCore(int core, int reg, uint v)
    {
        var c = Core(core);
        if (c is null)
            return;
        switch (reg)
        {
            case CxCoherence:
                c.Coherence = v & 0xff;
                break;
            case CxOther:
                c.Other = (int)(v >> 8) & 0x3f; // CM3_GCR_Cx_OTHER_CORE
                break;
            case CxResetBase:
                c.ResetBase = v & ~0xffcu;
                break;
            case CxResetExtBase:
                c.ResetExtBase = v & 0xcff0_00ff;
                break;
        }
    }
}
