namespace L4Re.Kernel.Abi;

/// <summary>Opcodes of the IRQ protocol (<c>L4_IRQ_OP_*</c>, label <see cref="ProtocolLabel.Irq"/>); a message with no words is a trigger.</summary>
/// <remarks>Source: l4re-core l4sys/include/irq.h; fiasco src/kern/irq.cpp.</remarks>
public enum IrqOp : ulong
{
    /// <summary>Trigger the IRQ (<c>L4_IRQ_OP_TRIGGER</c>); for a semaphore: up.</summary>
    Trigger = 2,
    /// <summary>End of interrupt: unmask (<c>L4_IRQ_OP_EOI</c>); with a receive phase, wait for the next IRQ.</summary>
    Eoi = 4,
}
