using L4Re.Uvmm.Mips;
using L4Re.Uvmm.Vmm;
using L4Re.Uvmm.Vz;

namespace L4Re.Platform.BaikalT.Vm;

/// <summary>
/// uvmm's view of a stopped vCPU (<see cref="IVcpuContext"/>) over the SDK's engine (<see cref="Vcpu"/>): GPRs and PC are
/// copied out at the exit (<see cref="Load"/>) and back before the resume (<see cref="Store"/>); guest CP0 accesses go to
/// the VZ state with its dirty tracking.
/// </summary>
/// <param name="vcpu">The vCPU.</param>
public sealed class VcpuContextAdapter(Vcpu vcpu) : IVcpuContext
{
    private readonly uint[] _gpr = new uint[32];
    private uint _pc;

    /// <summary>The vCPU.</summary>
    public Vcpu Vcpu { get; } = vcpu ?? throw new ArgumentNullException(nameof(vcpu));

    /// <inheritdoc />
    public int Id => Vcpu.Options.CpuNum;

    /// <inheritdoc />
    public Span<uint> Gpr => _gpr;

    /// <inheritdoc />
    public ref uint Pc => ref _pc;

    /// <summary>Copies the registers out of the vCPU; <paramref name="epc"/> is the exit's EPC.</summary>
    public void Load(uint epc)
    {
        Vcpu.GetGprs(_gpr);
        _pc = epc;
    }

    /// <summary>Writes the registers back (the PC only when the handler moved it).</summary>
    public void Store(uint epc)
    {
        for (var i = 1; i < 32; i++)
            Vcpu.SetGpr(i, _gpr[i]);
        if (_pc != epc)
            Vcpu.Pc = _pc;
    }

    /// <inheritdoc />
    public uint ReadGuestCp0(int register, int select)
    {
        var s = Vcpu.State;
        return (register, select) switch
        {
            (8, 0) => s.BadVAddr,
            (9, 0) => Vcpu.GuestCount,
            (11, 0) => s.Compare,
            (12, 0) => s.Status,
            (12, 1) => s.IntCtl,
            (13, 0) => s.Cause,
            (14, 0) => s.Epc,
            (15, 1) => s.EBase,
            (16, >= 0 and <= 5) => s.GetConfig(select),
            (30, 0) => s.ErrorEpc,
            _ => 0,
        };
    }

    /// <inheritdoc />
    public void WriteGuestCp0(int register, int select, uint value)
    {
        var s = Vcpu.State;
        switch (register, select)
        {
            case (11, 0):
                s.Compare = value;
                s.Cause &= ~Cp0Bits.CauseTI; // writing Compare acknowledges the timer interrupt
                break;
            case (12, 0):
                s.Status = value;
                break;
            case (12, 1):
                s.IntCtl = value;
                break;
            case (13, 0):
                s.Cause = value;
                break;
            case (14, 0):
                s.Epc = value;
                break;
            case (16, >= 0 and <= 5):
                s.SetConfig(select, value);
                break;
        }
    }

    /// <inheritdoc />
    public uint GuestCtl2
    {
        get => Vcpu.State.GuestCtl2;
        set => Vcpu.State.GuestCtl2 = value;
    }

    /// <inheritdoc />
    public int GTOffset
    {
        get => Vcpu.State.GtOffset;
        set => Vcpu.State.GtOffset = value;
    }

    /// <inheritdoc />
    public uint RootCount => Vcpu.RootCount;

    /// <inheritdoc />
    public void ClearLlBit() => Vcpu.State.ModifiedCp0Map |= VzStateFields.LlBit;
}
