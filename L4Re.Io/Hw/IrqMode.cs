namespace L4Re.Io.Hw;

/// <summary>
/// Trigger and polarity of an interrupt (<c>L4_irq_mode</c> in l4re-core
/// <c>l4sys/include/icu.h</c>). io keeps the mode in the upper flag bits of an IRQ resource
/// (<c>Irq_type_*</c> in kernkonzept/io <c>io/server/src/resource.h</c>) and a vbus client reads it
/// back from <c>l4vbus_resource_t.flags</c> to call <c>Icu::set_mode</c>.
/// Bit 1 (<c>L4_IRQ_F_LEVEL</c>) selects level triggering, bit 2 (<c>L4_IRQ_F_NEG</c>) low/falling
/// polarity, bit 3 (<c>L4_IRQ_F_BOTH</c>) both edges.
/// </summary>
public enum IrqMode : byte
{
    /// <summary>No mode given (<c>L4_IRQ_F_NONE</c>): the client keeps the controller's default.</summary>
    None = 0,
    /// <summary>Rising edge (<c>L4_IRQ_F_POS_EDGE</c>).</summary>
    RisingEdge = 0x1,
    /// <summary>Level, active high (<c>L4_IRQ_F_LEVEL_HIGH</c>).</summary>
    LevelHigh = 0x3,
    /// <summary>Falling edge (<c>L4_IRQ_F_NEG_EDGE</c>).</summary>
    FallingEdge = 0x5,
    /// <summary>Level, active low (<c>L4_IRQ_F_LEVEL_LOW</c>).</summary>
    LevelLow = 0x7,
    /// <summary>Both edges (<c>L4_IRQ_F_BOTH_EDGE</c>).</summary>
    BothEdges = 0x9,
}

/// <summary>How an interrupt line is sampled.</summary>
public enum IrqTrigger
{
    /// <summary>Not specified (<see cref="IrqMode.None"/>).</summary>
    Unspecified,
    /// <summary>Edge triggered.</summary>
    Edge,
    /// <summary>Level triggered.</summary>
    Level,
}

/// <summary>The active polarity of an interrupt line.</summary>
public enum IrqPolarity
{
    /// <summary>Not specified (<see cref="IrqMode.None"/>).</summary>
    Unspecified,
    /// <summary>Active high / rising edge.</summary>
    High,
    /// <summary>Active low / falling edge.</summary>
    Low,
    /// <summary>Both edges.</summary>
    Both,
}

/// <summary>Decoding of <see cref="IrqMode"/> into trigger and polarity.</summary>
public static class IrqModeExtensions
{
    /// <summary>True for the six values <c>L4_irq_mode</c> defines for a line.</summary>
    public static bool IsDefined(this IrqMode mode) => mode is IrqMode.None or IrqMode.RisingEdge or IrqMode.LevelHigh
        or IrqMode.FallingEdge or IrqMode.LevelLow or IrqMode.BothEdges;

    /// <summary>The trigger of <paramref name="mode"/> (<c>L4_IRQ_F_LEVEL</c> bit).</summary>
    public static IrqTrigger Trigger(this IrqMode mode) =>
        mode == IrqMode.None ? IrqTrigger.Unspecified : ((byte)mode & 0x2) != 0 ? IrqTrigger.Level : IrqTrigger.Edge;

    /// <summary>The polarity of <paramref name="mode"/> (<c>L4_IRQ_F_NEG</c> and <c>L4_IRQ_F_BOTH</c> bits).</summary>
    public static IrqPolarity Polarity(this IrqMode mode) =>
        mode == IrqMode.None ? IrqPolarity.Unspecified
        : ((byte)mode & 0x8) != 0 ? IrqPolarity.Both
        : ((byte)mode & 0x4) != 0 ? IrqPolarity.Low
        : IrqPolarity.High;
}
