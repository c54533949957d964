using L4Re.Uvmm.Vmm;

namespace L4Re.Uvmm.Tests.Vmm;

/// <summary>A vCPU state for exit-handler tests: GPRs, PC, a guest CP0 file and the VZ root controls.</summary>
internal sealed class FakeVcpu(int id = 0) : IVcpuContext
{
    private readonly uint[] _gpr = new uint[32];
    private uint _pc;
    public Dictionary<int, uint> Cp0 { get; } = [];
    public bool LlCleared;
    public uint Root;

    public int Id => id;
    public Span<uint> Gpr => _gpr;
    public ref uint Pc => ref _pc;
    public uint InitialPc { init => _pc = value; }
    public uint ReadGuestCp0(int register, int select) => Cp0.GetValueOrDefault(register << 3 | select);
    public void WriteGuestCp0(int register, int select, uint value) => Cp0[register << 3 | select] = value;
    public uint GuestCtl2 { get; set; }
    public int GTOffset { get; set; }
    public uint RootCount => Root;
    public void ClearLlBit() => LlCleared = true;
}
