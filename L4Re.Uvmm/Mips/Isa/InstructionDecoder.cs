using System.Numerics;

namespace L4Re.Uvmm.Mips;

/// <summary>
/// Decodes 32-bit words with the rows of <see cref="IsaTable"/>: a bucket per (opcode, function field)
/// holds the candidate rows, most specific first. Anything that matches no row is <see cref="Op.Reserved"/>.
/// </summary>
public static class InstructionDecoder
{
    /// <summary>Register-file index that receives writes to <c>$zero</c>.</summary>
    public const int SinkRegister = 32;

    private static readonly InstructionForm[][] Buckets = BuildBuckets();

    /// <summary>The table row of <paramref name="word"/> (the most specific one), or null for a reserved encoding.</summary>
    /// <param name="word">The instruction word.</param>
    /// <param name="aliases">Whether alias rows (<c>nop</c>, <c>move</c>, <c>b</c>, …) may be returned.</param>
    public static InstructionForm? Decode(uint word, bool aliases = true)
    {
        foreach (var form in Buckets[word >> 26 << 6 | (word & 0x3f)])
        {
            if (form.Matches(word) && (aliases || (form.Flags & InsnFlags.Alias) == 0))
                return form;
        }
        return null;
    }

    /// <summary>The semantics hook of <paramref name="word"/> (<see cref="Op.Reserved"/> if undefined).</summary>
    public static Op DecodeOp(uint word) => Decode(word)?.Op ?? Op.Reserved;

    internal static void DecodeInto(uint word, ref DecodedInsn d)
    {
        var form = Decode(word);
        d.Raw = word;
        d.Rs = (byte)((word >> 21) & 31);
        d.Rt = (byte)((word >> 16) & 31);
        d.Rd = (byte)((word >> 11) & 31);
        d.Aux = 0;
        d.Imm = 0;
        if (form is null)
        {
            d.Op = Op.Reserved;
            return;
        }
        d.Op = form.Op;
        switch (form.Imm)
        {
            case ImmKind.Simm16: d.Imm = (short)word; break;
            case ImmKind.Uimm16: d.Imm = (int)(word & 0xffff); break;
            case ImmKind.Upper16: d.Imm = (int)(word << 16); break;
            case ImmKind.Sa: d.Imm = (int)((word >> 6) & 31); break;
            case ImmKind.Branch: d.Imm = (short)word << 2; break;
            case ImmKind.Jump: d.Imm = (int)((word & 0x03ff_ffff) << 2); break;
            case ImmKind.Ext:
            {
                var pos = (int)((word >> 6) & 31);
                var size = (int)((word >> 11) & 31) + 1;
                d.Imm = pos;
                d.Aux = size >= 32 ? ~0u : (1u << size) - 1;
                break;
            }
            case ImmKind.Ins:
            {
                var pos = (int)((word >> 6) & 31);
                var msb = (int)((word >> 11) & 31);
                d.Imm = pos;
                // msb < pos is UNPREDICTABLE; an empty mask leaves rt unchanged.
                d.Aux = msb < pos ? 0 : (uint)(((1ul << (msb - pos + 1)) - 1) << pos);
                break;
            }
            case ImmKind.Cp0: d.Imm = (int)(((word >> 11) & 31) << 3 | (word & 7)); break;
            case ImmKind.Raw: d.Imm = (int)word; break;
            case ImmKind.None: break;
            default: throw new InvalidOperationException($"unhandled immediate kind {form.Imm}");
        }
        // SC stores rt before writing the flag back to it: never redirect its destination.
        if (form.Op != Op.Sc)
        {
            if (form.Dest == DestKind.Rd && d.Rd == 0)
                d.Rd = SinkRegister;
            else if (form.Dest == DestKind.Rt && d.Rt == 0)
                d.Rt = SinkRegister;
        }
    }

    private static InstructionForm[][] BuildBuckets()
    {
        var buckets = new InstructionForm[64 * 64][];
        for (uint op = 0; op < 64; op++)
        {
            for (uint fn = 0; fn < 64; fn++)
            {
                var probe = op << 26 | fn;
                const uint keyMask = 0xfc00_003f;
                buckets[op << 6 | fn] = IsaTable.Forms
                    .Where(f => ((f.Match ^ probe) & f.Mask & keyMask) == 0)
                    .OrderByDescending(f => BitOperations.PopCount(f.Mask))
                    .ToArray();
            }
        }
        return buckets;
    }
}
