namespace L4Re.Uvmm.Vmm;

/// <summary>
/// Notifications from an interrupt controller to the device that raises an interrupt (uvmm:
/// <c>Gic::Irq_src_handler</c>): the guest re-enabled (unmasked) the interrupt, which for level-triggered
/// sources is the moment to re-check and re-assert the line.
/// </summary>
public interface IIrqSourceHandler
{
    /// <summary>The guest has issued an end-of-interrupt for this source (on the MIPS GIC: unmasked it).</summary>
    void Eoi();
}
