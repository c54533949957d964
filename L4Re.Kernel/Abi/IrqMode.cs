namespace L4Re.Kernel.Abi;

/// <summary>Trigger-mode flags of an interrupt pin (<c>L4_IRQ_F_*</c>).</summary>
/// <remarks>Source: l4re-core l4sys/include/icu.h.</remarks>
[Flags]
public enum IrqMode : ulong
{
    /// <summary><c>L4_IRQ_F_NONE</c>.</summary>
    None = 0,
    /// <summary><c>L4_IRQ_F_SET_MODE</c>: without it set_mode does nothing.</summary>
    SetMode = 0x1,
    /// <summary><c>L4_IRQ_F_LEVEL</c> (edge when clear).</summary>
    Level = 0x2,
    /// <summary><c>L4_IRQ_F_NEG</c> (positive when clear).</summary>
    Negative = 0x4,
    /// <summary><c>L4_IRQ_F_BOTH</c>: both edges.</summary>
    Both = 0x8,
    /// <summary><c>L4_IRQ_F_LEVEL_HIGH</c>.</summary>
    LevelHigh = SetMode | Level,
    /// <summary><c>L4_IRQ_F_LEVEL_LOW</c>.</summary>
    LevelLow = SetMode | Level | Negative,
    /// <summary><c>L4_IRQ_F_POS_EDGE</c>.</summary>
    PositiveEdge = SetMode,
    /// <summary><c>L4_IRQ_F_NEG_EDGE</c>.</summary>
    NegativeEdge = SetMode | Negative,
    /// <summary><c>L4_IRQ_F_BOTH_EDGE</c>.</summary>
    BothEdges = SetMode | Both,
    /// <summary><c>L4_IRQ_F_MASK</c>: all mode bits.</summary>
    Mask = 0xf,
}
