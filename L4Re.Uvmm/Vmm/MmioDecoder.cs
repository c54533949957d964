namespace L4Re.Uvmm.Vmm;

/// <summary>
/// Decodes the faulting instruction word of a GPA exit (root <c>BadInstr</c>) into an <see cref="MmioAccess"/>,
/// as uvmm's <c>Mips::Instruction::is_simple_load_store</c> / <c>load_store_width</c> do (ARCH-mips
/// <c>mips_instructions.h</c>), plus the MIPS32 unaligned forms LWL/LWR/SWL/SWR which uvmm does not emulate.
/// Opcodes from the MIPS32 Architecture for Programmers Vol. II (major opcode in bits 31:26, rt in 20:16).
/// </summary>
public static class MmioDecoder
{
    /// <summary>Decodes <paramref name="instruction"/>.</summary>
    /// <param name="instruction">The 32-bit instruction word.</param>
    /// <returns>The access; <see cref="MmioAccessKind.Unsupported"/> for anything else (LL, SC, COP1/COP2 loads, non-memory instructions).</returns>
    public static MmioAccess Decode(uint instruction)
    {
        var rt = (int)(instruction >> 16) & 0x1f;
        return (instruction >> 26) switch
        {
            0x20 => new(MmioAccessKind.Load, MmioWidth.Byte, true, rt, MmioMerge.None),      // LB
            0x21 => new(MmioAccessKind.Load, MmioWidth.HalfWord, true, rt, MmioMerge.None),  // LH
            0x22 => new(MmioAccessKind.Load, MmioWidth.Word, false, rt, MmioMerge.Left),     // LWL
            0x23 => new(MmioAccessKind.Load, MmioWidth.Word, false, rt, MmioMerge.None),     // LW
            0x24 => new(MmioAccessKind.Load, MmioWidth.Byte, false, rt, MmioMerge.None),     // LBU
            0x25 => new(MmioAccessKind.Load, MmioWidth.HalfWord, false, rt, MmioMerge.None), // LHU
            0x26 => new(MmioAccessKind.Load, MmioWidth.Word, false, rt, MmioMerge.Right),    // LWR
            0x28 => new(MmioAccessKind.Store, MmioWidth.Byte, false, rt, MmioMerge.None),    // SB
            0x29 => new(MmioAccessKind.Store, MmioWidth.HalfWord, false, rt, MmioMerge.None), // SH
            0x2a => new(MmioAccessKind.Store, MmioWidth.Word, false, rt, MmioMerge.Left),    // SWL
            0x2b => new(MmioAccessKind.Store, MmioWidth.Word, false, rt, MmioMerge.None),    // SW
            0x2e => new(MmioAccessKind.Store, MmioWidth.Word, false, rt, MmioMerge.Right),   // SWR
            0x2f => new(MmioAccessKind.CacheOp, MmioWidth.Word, false, 0, MmioMerge.None),   // CACHE
            _ => MmioAccess.Unsupported,
        };
    }
}
