namespace L4Re.Uvmm.Vmm;

/// <summary>The width of a guest memory access in bytes (uvmm passes it as log2, <c>Mem_access::Width</c>).</summary>
public enum MmioWidth : byte
{
    /// <summary>8 bits (LB, LBU, SB).</summary>
    Byte = 1,
    /// <summary>16 bits (LH, LHU, SH).</summary>
    HalfWord = 2,
    /// <summary>32 bits (LW, SW).</summary>
    Word = 4,
    /// <summary>64 bits (LD, SD on 64-bit guests; unused on MIPS32).</summary>
    DoubleWord = 8,
}

/// <summary>Helpers for <see cref="MmioWidth"/>.</summary>
public static class MmioWidthExtensions
{
    /// <summary>The mask of the value bits an access of this width carries.</summary>
    /// <param name="width">The width.</param>
    public static ulong Mask(this MmioWidth width) => width == MmioWidth.DoubleWord ? ulong.MaxValue : (1UL << (8 * (int)width)) - 1;

    /// <summary>The width in bytes.</summary>
    /// <param name="width">The width.</param>
    public static int Bytes(this MmioWidth width) => (int)width;
}
