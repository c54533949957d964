using L4Re.Kernel.Abi;

namespace L4Re.Io.Hw;

// The trigger mode of an IRQ resource is the kernel's L4_irq_mode (L4Re.Kernel.Abi.IrqMode): io keeps
// it in the low flag bits of an IRQ resource (Irq_type_* in kernkonzept/io io/server/src/resource.h)
// and a vbus client reads it back from l4vbus_resource_t.flags to call Icu::set_mode.

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

/// <summary>Decoding of the kernel's <see cref="IrqMode"/> into trigger and polarity for IRQ resources.</summary>
public static class IrqModeExtensions
{
    /// <summary>True for the six values <c>L4_irq_mode</c> defines for a line (none, the two levels, the three edges).</summary>
    public static bool IsDefined(this IrqMode mode) => mode is IrqMode.None or IrqMode.PositiveEdge or IrqMode.LevelHigh
        or IrqMode.NegativeEdge or IrqMode.LevelLow or IrqMode.BothEdges;

    /// <summary>The trigger of <paramref name="mode"/> (<c>L4_IRQ_F_LEVEL</c> bit).</summary>
    public static IrqTrigger Trigger(this IrqMode mode) =>
        mode == IrqMode.None ? IrqTrigger.Unspecified : (mode & IrqMode.Level) != 0 ? IrqTrigger.Level : IrqTrigger.Edge;

    /// <summary>The polarity of <paramref name="mode"/> (<c>L4_IRQ_F_NEG</c> and <c>L4_IRQ_F_BOTH</c> bits).</summary>
    public static IrqPolarity Polarity(this IrqMode mode) =>
        mode == IrqMode.None ? IrqPolarity.Unspecified
        : (mode & IrqMode.Both) != 0 ? IrqPolarity.Both
        : (mode & IrqMode.Negative) != 0 ? IrqPolarity.Low
        : IrqPolarity.High;
}
