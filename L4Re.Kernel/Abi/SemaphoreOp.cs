namespace L4Re.Kernel.Abi;

/// <summary>Opcodes of the Semaphore protocol (label <see cref="ProtocolLabel.Semaphore"/>); "up" is an IRQ trigger.</summary>
/// <remarks>Source: l4re-core l4sys/include/semaphore.h; fiasco src/kern/semaphore.cpp.</remarks>
public enum SemaphoreOp : ulong
{
    /// <summary>Decrement, blocking up to the receive timeout while the count is zero.</summary>
    Down = 0,
}
