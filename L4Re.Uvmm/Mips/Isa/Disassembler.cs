using System.Globalization;
using System.Text;

namespace L4Re.Uvmm.Mips;

/// <summary>
/// Prints instructions in the assembler syntax of <see cref="Assembler"/>, driven by <see cref="IsaTable"/>:
/// <c>Assembler.Assemble(Disassembler.Format(w, pc), pc)</c> gives back <c>w</c> for every defined word.
/// Branch and jump targets print as absolute addresses.
/// </summary>
public static class Disassembler
{
    /// <summary>Formats <paramref name="word"/> located at <paramref name="pc"/>; reserved encodings print as <c>.word</c>.</summary>
    /// <param name="word">The instruction word.</param>
    /// <param name="pc">Its address (for branch and jump targets).</param>
    /// <param name="aliases">Print alias spellings (<c>nop</c>, <c>move</c>, <c>b</c>, <c>li</c>, …) where they apply.</param>
    public static string Format(uint word, uint pc = 0, bool aliases = true)
    {
        var form = InstructionDecoder.Decode(word, aliases);
        if (form is null)
            return string.Create(CultureInfo.InvariantCulture, $".word 0x{word:x8}");
        var sb = new StringBuilder(form.Mnemonic);
        for (var i = 0; i < form.Operands.Length; i++)
        {
            sb.Append(i == 0 ? " " : ", ");
            sb.Append(FormatOperand(form.Operands[i], word, pc));
        }
        return sb.ToString();
    }

    private static string FormatOperand(OperandKind kind, uint word, uint pc)
    {
        var v = OperandCodec.Extract(kind, word, pc);
        var ic = CultureInfo.InvariantCulture;
        return kind switch
        {
            OperandKind.Rd or OperandKind.Rs or OperandKind.Rt => RegisterNames.Gpr((int)v.Value),
            OperandKind.Cp0Reg or OperandKind.HwReg or OperandKind.Cop2Reg => "$" + v.Value.ToString(ic),
            OperandKind.Ft => "$f" + v.Value.ToString(ic),
            OperandKind.Mem => v.Value.ToString(ic) + "(" + RegisterNames.Gpr(v.Base) + ")",
            OperandKind.Rel16 or OperandKind.Abs26 => "0x" + ((uint)v.Value).ToString("x8", ic),
            OperandKind.Uimm16 or OperandKind.Code20 or OperandKind.Code10 or OperandKind.WaitCode
                or OperandKind.HypCode or OperandKind.CopFunc => "0x" + v.Value.ToString("x", ic),
            _ => v.Value.ToString(ic),
        };
    }
}
