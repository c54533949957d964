using L4Re.Uvmm.Vmm;

namespace L4Re.Uvmm.Devices;

/// <summary>
/// The MIPS Cluster Power Controller (uvmm: <c>Vdev::Mips_cpc</c>, ARCH-mips <c>cpc.h</c>/<c>cpc.cc</c>; register
/// names from Linux <c>arch/mips/include/asm/mips-cpc.h</c>). Linux's CPS SMP code (<c>smp-cps.c</c>
/// <c>boot_core</c>) writes CPC_Cx_CMD = RESET (4) or PWRUP (3) for a core and polls CPC_Cx_STAT_CONF until the
/// sequencer state is U6 (7, coherent execution); the CPC then starts that vCPU at its reset vector from the
/// CM (GCR_Cx_RESET_BASE, or GCR_BEV_BASE) through <see cref="IVcpuPowerControl"/>. The core-other block is
/// selected by the CM's GCR_Cx_OTHER (CM3).
/// </summary>
public sealed class ClusterPowerController : IMmioDevice
{
    /// <summary>The Baikal-T1 CPC address, used as the default CPC base.</summary>
    public const ulong DefaultBase = 0x1bde0000;

    /// <summary>Region size (uvmm <c>Cpc_size</c>).</summary>
    public const ulong RegionSize = 0x6000;

    /// <summary>CPC_Cx_CMD commands.</summary>
    public const uint CmdClockOff = 1, CmdPowerDown = 2, CmdPowerUp = 3, CmdReset = 4;

    /// <summary>Sequencer states (CPC_Cx_STAT_CONF.SEQSTATE): D0 power down, U5 non-coherent, U6 coherent.</summary>
    public const uint SeqPowerDown = 0, SeqNonCoherent = 6, SeqCoherent = 7;

    internal const int Access = 0x000, Seqdel = 0x008, Rail = 0x010, ResetLen = 0x018, Revision = 0x020;
    internal const int CoreLocal = 0x2000, CoreOther = 0x4000, BlockSize = 0x2000;
    internal const int CxCmd = 0x00, CxStatConf = 0x08, CxOther = 0x10, CxVpStop = 0x20, CxVpRun = 0x28, CxVpRunning = 0x30;

    private readonly CoherencyManager _cm;
    private readonly uint[] _status;
    private readonly uint[] _globals = new uint[5];
    private readonly uint[] _vpRun;

    /// <summary>Creates the CPC.</summary>
    /// <param name="cm">The CM (core count, reset vectors, core-other selection).</param>
    /// <param name="power">Starts and stops vCPUs, or null (commands then only change the state registers).</param>
    public ClusterPowerController(CoherencyManager cm, IVcpuPowerControl? power = null)
    {
        _cm = cm;
        Power = power;
        _status = new uint[cm.CoreCount];
        _vpRun = new uint[cm.CoreCount];
        for (var i = 0; i < _status.Length; i++)
            _status[i] = SeqNonCoherent << 19; // uvmm: Seq_non_coherent until started
        _status[0] = SeqCoherent << 19 | 1u << 11; // the boot CPU runs coherently (uvmm set_coherent)
        _vpRun[0] = 1;
    }

    /// <summary>The vCPU starter.</summary>
    public IVcpuPowerControl? Power { get; set; }

    /// <inheritdoc />
    public string DeviceName => "mips-cpc";

    /// <summary>The sequencer state of <paramref name="core"/> (CPC_Cx_STAT_CONF bits 22:19).</summary>
    /// <param name="core">The core.</param>
    public uint SequencerState(int core) => (uint)core < (uint)_status.Length ? _status[core] >> 19 & 0xf : 0;

    /// <inheritdoc />
    public ulong Read(ulong offset, MmioWidth width, int vcpu)
    {
        if (width != MmioWidth.Word || (offset & 3) != 0 || offset >= RegionSize)
            return 0;
        var o = (int)offset;
        if (o >= CoreLocal && o < CoreLocal + BlockSize)
            return ReadCore(vcpu, o - CoreLocal);
        if (o >= CoreOther && o < CoreOther + BlockSize)
            return ReadCore(_cm.OtherCore(vcpu), o - CoreOther);
        return o switch
        {
            Revision => 0x0100, // CPC 1.0
            Access or Seqdel or Rail or ResetLen => _globals[o / 8],
            _ => 0,
        };
    }

    /// <inheritdoc />
    public void Write(ulong offset, MmioWidth width, ulong value, int vcpu)
    {
        if (width != MmioWidth.Word || (offset & 3) != 0 || offset >= RegionSize)
            return;
        var o = (int)offset;
        if (o >= CoreLocal && o < CoreLocal + BlockSize)
            WriteCore(vcpu, o - CoreLocal, (uint)value);
        else if (o >= CoreOther && o < CoreOther + BlockSize)
            WriteCore(_cm.OtherCore(vcpu), o - CoreOther, (uint)value);
        else if (o is Access or Seqdel or Rail or ResetLen)
            _globals[o / 8] = (uint)value;
    }

    private uint ReadCore(int core, int reg)
    {
        if ((uint)core >= (uint)_status.Length)
            return 0;
        return reg switch
        {
            CxCmd => _status[core] & 0xf,
            CxStatConf => _status[core] | (_cm.Core(core)!.Coherence != 0 ? 1u << 11 : 0),
            CxVpRun => _vpRun[core],
            CxVpRunning => SequencerState(core) == SeqCoherent ? _vpRun[core] & 1 : 0,
            _ => 0,
        };
    }

    private void WriteCore(int core, int reg, uint v)
    {
        if ((uint)core >= (uint)_status.Length)
            return;
        switch (reg)
        {
            case CxCmd:
                Command(core, v & 7);
                break;
            case CxVpRun:
                _vpRun[core] = v & 1;
                break;
            case CxVpStop:
                if ((v & 1) != 0)
                    _vpRun[core] = 0;
                break;
        }
    }

    private void Command(int core, uint cmd)
    {
        _status[core] = (_status[core] & ~0xfu) | cmd;
        switch (cmd)
        {
            case CmdPowerDown:
            case CmdClockOff:
                _status[core] = (_status[core] & ~(0xfu << 19)) | SeqPowerDown << 19;
                Power?.PowerDown(core);
                break;
            case CmdPowerUp:
            case CmdReset:
                _vpRun[core] |= 1;
                Power?.PowerUp(core, _cm.ResetVector(core));
                _status[core] = (_status[core] & ~(0xfu << 19)) | SeqCoherent << 19; // uvmm: "consider it officially done"
                break;
        }
    }
}
