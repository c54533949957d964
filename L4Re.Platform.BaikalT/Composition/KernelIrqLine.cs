using L4Re.Kernel.Objects;
using L4Re.Vio.Virtio;

namespace L4Re.Platform.BaikalT.Composition;

/// <summary>A virtio device's interrupt line for a native driver: each rising edge triggers the driver's IRQ object (l4virtio's notification IRQ).</summary>
/// <param name="irq">The IRQ bound to the driver's thread.</param>
public sealed class KernelIrqLine(Irq irq) : IInterruptLine
{
    /// <inheritdoc />
    public void Raise() => irq.Trigger();

    /// <inheritdoc />
    public void Lower()
    {
    }
}
