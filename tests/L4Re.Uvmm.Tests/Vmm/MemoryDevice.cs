using L4Re.Uvmm.Vmm;

namespace L4Re.Uvmm.Tests.Vmm;

/// <summary>Little-endian byte memory behind the MMIO bus, recording each access width.</summary>
internal sealed class MemoryDevice(int size) : IMmioDevice
{
    public byte[] Bytes { get; } = new byte[size];
    public List<(bool Write, ulong Offset, MmioWidth Width)> Accesses { get; } = [];
    public string DeviceName => "mem";

    public ulong Read(ulong offset, MmioWidth width, int vcpu)
    {
        Accesses.Add((false, offset, width));
        ulong v = 0;
        for (var i = 0; i < (int)width; i++)
            v |= (ulong)Bytes[(int)offset + i] << (8 * i);
        return v;
    }

    public void Write(ulong offset, MmioWidth width, ulong value, int vcpu)
    {
        Accesses.Add((true, offset, width));
        for (var i = 0; i < (int)width; i++)
            Bytes[(int)offset + i] = (byte)(value >> (8 * i));
    }
}

internal static class Asm
{
    public static uint I(uint op, int rs, int rt, int imm) => op << 26 | (uint)rs << 21 | (uint)rt << 16 | (ushort)imm;
    public static uint R(uint funct, int rs, int rt, int rd, int sa = 0) => (uint)rs << 21 | (uint)rt << 16 | (uint)rd << 11 | (uint)sa << 6 | funct;
    public static uint Regimm(int rt, int rs, int imm) => 1u << 26 | (uint)rs << 21 | (uint)rt << 16 | (ushort)imm;
    public static uint J(uint op, uint target) => op << 26 | (target >> 2 & 0x03ff_ffff);

    public const uint Lb = 0x20, Lh = 0x21, Lwl = 0x22, Lw = 0x23, Lbu = 0x24, Lhu = 0x25, Lwr = 0x26;
    public const uint Sb = 0x28, Sh = 0x29, Swl = 0x2a, Sw = 0x2b, Swr = 0x2e, Cache = 0x2f, Ll = 0x30, Sc = 0x38;
}
