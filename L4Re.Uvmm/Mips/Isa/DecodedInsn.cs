using System.Runtime.InteropServices;

namespace L4Re.Uvmm.Mips;

/// <summary>
/// One slot of the decoded-instruction cache: the operation and pre-extracted fields of a word, so the
/// interpreter never re-decodes. Register fields index the register file; writes to <c>$zero</c> are
/// redirected to <see cref="InstructionDecoder.SinkRegister"/> at decode time.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct DecodedInsn
{
    /// <summary>Semantics hook.</summary>
    public Op Op;
    /// <summary>Register index from bits 25:21.</summary>
    public byte Rs;
    /// <summary>Register index from bits 20:16 (redirected when it is the destination and 0).</summary>
    public byte Rt;
    /// <summary>Register index from bits 15:11 (redirected when it is the destination and 0).</summary>
    public byte Rd;
    /// <summary>Pre-computed immediate (see <see cref="ImmKind"/>).</summary>
    public int Imm;
    /// <summary>Second pre-computed value (EXT/INS masks).</summary>
    public uint Aux;
    /// <summary>The raw encoding.</summary>
    public uint Raw;
}
