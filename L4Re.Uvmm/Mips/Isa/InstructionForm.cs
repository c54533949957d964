namespace L4Re.Uvmm.Mips;

/// <summary>
/// One row of the MIPS instruction-set table: mnemonic, encoding (<c>word &amp; Mask == Match</c>), operand
/// fields, semantics hook (<see cref="Op"/>), how the decoder pre-computes the immediate, which GPR the
/// instruction writes, and flags. The decoder, the assembler and the disassembler are all driven by these rows.
/// </summary>
/// <param name="Mnemonic">Assembler mnemonic (lower case, e.g. <c>jalr.hb</c>).</param>
/// <param name="Match">Encoding bits that identify the row.</param>
/// <param name="Mask">Which bits of <paramref name="Match"/> are significant.</param>
/// <param name="Op">Semantics hook executed by the interpreter.</param>
/// <param name="Operands">Operands in assembler order.</param>
/// <param name="Imm">Immediate pre-computation for the decoded-instruction cache.</param>
/// <param name="Dest">GPR written by the instruction.</param>
/// <param name="Flags">Row properties.</param>
public sealed record InstructionForm(
    string Mnemonic, uint Match, uint Mask, Op Op, OperandKind[] Operands, ImmKind Imm, DestKind Dest, InsnFlags Flags)
{
    /// <summary>Whether <paramref name="word"/> is an encoding of this row.</summary>
    public bool Matches(uint word) => (word & Mask) == Match;

    /// <summary>Number of significant encoding bits (rows with more bits are more specific).</summary>
    public int Specificity => System.Numerics.BitOperations.PopCount(Mask);

    /// <summary>Encodes the row with <paramref name="operands"/> (in <see cref="Operands"/> order).</summary>
    /// <param name="operands">One value per operand.</param>
    /// <param name="pc">Address of the instruction (for PC-relative and region-relative targets).</param>
    /// <exception cref="ArgumentException">Wrong operand count, or a value does not fit its field.</exception>
    public uint Encode(ReadOnlySpan<OperandValue> operands, uint pc = 0)
    {
        if (operands.Length != Operands.Length)
            throw new ArgumentException($"{Mnemonic} takes {Operands.Length} operand(s), got {operands.Length}", nameof(operands));
        var word = Match;
        for (var i = 0; i < Operands.Length; i++)
            word = OperandCodec.Insert(Operands[i], word, operands[i], pc, Mnemonic);
        if ((Flags & InsnFlags.RdInRt) != 0)
            word |= ((word >> 11) & 31) << 16;
        if (!Matches(word))
            throw new ArgumentException($"{Mnemonic}: operands conflict with the fixed encoding bits", nameof(operands));
        return word;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Mnemonic} {Match:x8}/{Mask:x8}";
}
