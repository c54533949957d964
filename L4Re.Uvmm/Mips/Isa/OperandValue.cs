namespace L4Re.Uvmm.Mips;

/// <summary>The value of one operand: a register number, an immediate, or an offset with a base register.</summary>
/// <param name="Value">Register number, immediate, absolute target address, or memory offset.</param>
/// <param name="Base">Base register of a memory operand (otherwise 0).</param>
public readonly record struct OperandValue(long Value, int Base = 0)
{
    /// <summary>An operand holding <paramref name="value"/>.</summary>
    public static implicit operator OperandValue(long value) => new(value);

    /// <summary>An operand holding <paramref name="value"/>.</summary>
    public static OperandValue FromInt64(long value) => new(value);
}
