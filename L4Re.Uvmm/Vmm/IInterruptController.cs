namespace L4Re.Uvmm.Vmm;

/// <summary>
/// An interrupt controller that devices raise interrupts on (uvmm: <c>Gic::Ic</c>): the MIPS GIC
/// (<c>mti,gic</c>) and the per-vCPU core interrupt controller (<c>mti,cpu-interrupt-controller</c>).
/// Interrupt lines are level semantics: <see cref="Set"/> asserts, <see cref="Clear"/> deasserts.
/// </summary>
public interface IInterruptController : IVmDevice
{
    /// <summary>Asserts interrupt <paramref name="irq"/>. Out-of-range numbers are ignored.</summary>
    /// <param name="irq">Controller-local interrupt number.</param>
    void Set(int irq);

    /// <summary>Deasserts interrupt <paramref name="irq"/>. Out-of-range numbers are ignored.</summary>
    /// <param name="irq">Controller-local interrupt number.</param>
    void Clear(int irq);

    /// <summary>Binds (or with null unbinds) the handler notified on end-of-interrupt for <paramref name="irq"/>.</summary>
    /// <param name="irq">Controller-local interrupt number.</param>
    /// <param name="handler">The handler, or null.</param>
    /// <exception cref="InvalidOperationException">Another handler is already bound, or the controller has no EOI notification.</exception>
    void BindSourceHandler(int irq, IIrqSourceHandler? handler);

    /// <summary>The handler bound to <paramref name="irq"/>, or null.</summary>
    /// <param name="irq">Controller-local interrupt number.</param>
    IIrqSourceHandler? GetSourceHandler(int irq);

    /// <summary>
    /// Translates a device tree interrupt specifier of this controller into an interrupt number (uvmm
    /// <c>dt_get_interrupt</c>): the GIC takes <c>&lt;type number flags&gt;</c>, the core controller <c>&lt;line&gt;</c>.
    /// </summary>
    /// <param name="cells">The specifier cells.</param>
    /// <param name="irq">The interrupt number.</param>
    /// <returns>False when the specifier is malformed or out of range.</returns>
    bool TryDecodeInterrupt(IReadOnlyList<uint> cells, out int irq);
}
