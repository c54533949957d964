namespace L4Re.Uvmm.Mips;

/// <summary>Inserts operand values into and extracts them from instruction encodings (one place for every field).</summary>
public static class OperandCodec
{
    /// <summary>Inserts <paramref name="value"/> as operand <paramref name="kind"/> into <paramref name="word"/>.</summary>
    /// <exception cref="ArgumentException">The value does not fit the field.</exception>
    public static uint Insert(OperandKind kind, uint word, OperandValue value, uint pc, string mnemonic = "")
    {
        var v = value.Value;
        switch (kind)
        {
            case OperandKind.Rd: case OperandKind.Cp0Reg: case OperandKind.HwReg:
                return word | Field(v, 0, 31, mnemonic, kind) << 11;
            case OperandKind.Rs:
                return word | Field(v, 0, 31, mnemonic, kind) << 21;
            case OperandKind.Rt: case OperandKind.Op5: case OperandKind.Ft: case OperandKind.Cop2Reg:
                return word | Field(v, 0, 31, mnemonic, kind) << 16;
            case OperandKind.Sa: case OperandKind.Stype: case OperandKind.Pos:
                return word | Field(v, 0, 31, mnemonic, kind) << 6;
            case OperandKind.Simm16:
                return word | (Field(v, short.MinValue, short.MaxValue, mnemonic, kind) & 0xffff);
            case OperandKind.Uimm16:
                return word | Field(v, 0, ushort.MaxValue, mnemonic, kind);
            case OperandKind.Mem:
                return word | (Field(v, short.MinValue, short.MaxValue, mnemonic, kind) & 0xffff)
                            | Field(value.Base, 0, 31, mnemonic, kind) << 21;
            case OperandKind.Rel16:
            {
                var delta = (long)(int)((uint)v - (pc + 4));
                if ((delta & 3) != 0)
                    throw new ArgumentException($"{mnemonic}: branch target 0x{v:x} is not word aligned");
                return word | (Field(delta >> 2, short.MinValue, short.MaxValue, mnemonic, kind) & 0xffff);
            }
            case OperandKind.Abs26:
            {
                var target = (uint)v;
                if ((target & 3) != 0 || (target & 0xf000_0000) != ((pc + 4) & 0xf000_0000) || v < 0 || v > uint.MaxValue)
                    throw new ArgumentException($"{mnemonic}: jump target 0x{v:x} is outside the 256 MiB region of 0x{pc:x8} or unaligned");
                return word | ((target >> 2) & 0x03ff_ffff);
            }
            case OperandKind.Code20:
                return word | Field(v, 0, 0xfffff, mnemonic, kind) << 6;
            case OperandKind.Code10:
                return word | Field(v, 0, 0x3ff, mnemonic, kind) << 6;
            case OperandKind.WaitCode:
                return word | Field(v, 0, 0x7ffff, mnemonic, kind) << 6;
            case OperandKind.HypCode:
                return word | Field(v, 0, 0x3ff, mnemonic, kind) << 11;
            case OperandKind.Sel:
                return word | Field(v, 0, 7, mnemonic, kind);
            case OperandKind.ExtSize:
            {
                var pos = (word >> 6) & 31;
                return word | Field(v - 1, 0, 31 - pos, mnemonic, kind) << 11;
            }
            case OperandKind.InsSize:
            {
                var pos = (word >> 6) & 31;
                return word | Field(pos + v - 1, pos, 31, mnemonic, kind) << 11;
            }
            case OperandKind.CopFunc:
                return word | Field(v, 0, 0x03ff_ffff, mnemonic, kind);
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    /// <summary>Extracts operand <paramref name="kind"/> from <paramref name="word"/> located at <paramref name="pc"/>.</summary>
    public static OperandValue Extract(OperandKind kind, uint word, uint pc) => kind switch
    {
        OperandKind.Rd or OperandKind.Cp0Reg or OperandKind.HwReg => (word >> 11) & 31,
        OperandKind.Rs => (word >> 21) & 31,
        OperandKind.Rt or OperandKind.Op5 or OperandKind.Ft or OperandKind.Cop2Reg => (word >> 16) & 31,
        OperandKind.Sa or OperandKind.Stype or OperandKind.Pos => (word >> 6) & 31,
        OperandKind.Simm16 => (short)word,
        OperandKind.Uimm16 => word & 0xffff,
        OperandKind.Mem => new OperandValue((short)word, (int)((word >> 21) & 31)),
        OperandKind.Rel16 => (uint)(pc + 4 + ((short)word << 2)),
        OperandKind.Abs26 => ((pc + 4) & 0xf000_0000) | ((word & 0x03ff_ffff) << 2),
        OperandKind.Code20 => (word >> 6) & 0xfffff,
        OperandKind.Code10 => (word >> 6) & 0x3ff,
        OperandKind.WaitCode => (word >> 6) & 0x7ffff,
        OperandKind.HypCode => (word >> 11) & 0x3ff,
        OperandKind.Sel => word & 7,
        OperandKind.ExtSize => ((word >> 11) & 31) + 1,
        OperandKind.InsSize => (long)((word >> 11) & 31) - ((word >> 6) & 31) + 1,
        OperandKind.CopFunc => word & 0x03ff_ffff,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static uint Field(long value, long min, long max, string mnemonic, OperandKind kind)
    {
        if (value < min || value > max)
            throw new ArgumentException($"{mnemonic}: operand {kind} value {value} is outside [{min}, {max}]");
        return (uint)value;
    }
}
