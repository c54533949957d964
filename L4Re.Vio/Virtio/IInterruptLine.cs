namespace L4Re.Vio.Virtio;

/// <summary>
/// A level-triggered interrupt line from a device to its interrupt controller (the <c>interrupts</c>
/// of a <c>virtio,mmio</c> device-tree node; in uvmm a GIC SPI). The transport asserts the line while
/// <c>InterruptStatus</c> is non-zero and deasserts it when the driver has acknowledged every event.
/// </summary>
/// <remarks>
/// Called with the device's lock held: implementations must only record the level (e.g. set a pending
/// bit in the virtual GIC) and never wait for anything that could need the same device.
/// </remarks>
public interface IInterruptLine
{
    /// <summary>Asserts the line (level high).</summary>
    void Raise();

    /// <summary>Deasserts the line (level low).</summary>
    void Lower();
}
