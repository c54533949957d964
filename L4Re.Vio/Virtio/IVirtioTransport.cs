namespace L4Re.Vio.Virtio;

/// <summary>
/// What a <see cref="VirtioDevice"/> needs from the transport it is attached to: a way to notify the
/// driver. <see cref="VirtioMmioTransport"/> implements it with the <c>InterruptStatus</c> register and
/// an <see cref="IInterruptLine"/>.
/// </summary>
public interface IVirtioTransport
{
    /// <summary>Records the events in <paramref name="events"/> and interrupts the driver.</summary>
    void Interrupt(InterruptStatus events);

    /// <summary>Clears all pending events (device reset).</summary>
    void ClearInterrupts();
}
