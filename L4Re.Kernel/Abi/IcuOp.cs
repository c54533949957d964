namespace L4Re.Kernel.Abi;

/// <summary>Opcodes of the ICU protocol (<c>L4_ICU_OP_*</c>, label <see cref="ProtocolLabel.Irq"/>).</summary>
/// <remarks>Source: l4re-core l4sys/include/icu.h; fiasco src/kern/icu_helper.cpp.</remarks>
public enum IcuOp : ulong
{
    /// <summary>Bind an IRQ object to a pin (mr1 = pin, item = IRQ).</summary>
    Bind = 0,
    /// <summary>Unbind the IRQ object of a pin.</summary>
    Unbind = 1,
    /// <summary>Features, number of pins, number of MSIs.</summary>
    Info = 2,
    /// <summary>MSI information.</summary>
    MsiInfo = 3,
    /// <summary>Unmask a pin (no reply).</summary>
    Unmask = 4,
    /// <summary>Mask a pin (no reply).</summary>
    Mask = 5,
    /// <summary>Set the trigger mode of a pin (mr1 = pin, mr2 = <see cref="IrqMode"/>).</summary>
    SetMode = 6,
}
