namespace L4Re.Uvmm.Mips;

/// <summary>How the decoder pre-computes <see cref="DecodedInsn.Imm"/> (and <see cref="DecodedInsn.Aux"/>) for a row.</summary>
public enum ImmKind : byte
{
    /// <summary>No immediate.</summary>
    None,
    /// <summary>Sign-extended bits 15:0.</summary>
    Simm16,
    /// <summary>Zero-extended bits 15:0.</summary>
    Uimm16,
    /// <summary>Bits 15:0 shifted left by 16 (LUI).</summary>
    Upper16,
    /// <summary>Shift amount, bits 10:6.</summary>
    Sa,
    /// <summary>Sign-extended bits 15:0 shifted left by 2 (branch displacement from the delay slot).</summary>
    Branch,
    /// <summary>Bits 25:0 shifted left by 2 (jump target within the 256 MiB region).</summary>
    Jump,
    /// <summary>EXT: Imm = position, Aux = field mask (unshifted).</summary>
    Ext,
    /// <summary>INS: Imm = position, Aux = field mask shifted to the position.</summary>
    Ins,
    /// <summary>Coprocessor-0 register: Imm = rd * 8 + sel.</summary>
    Cp0,
    /// <summary>The raw 32-bit encoding.</summary>
    Raw,
}
