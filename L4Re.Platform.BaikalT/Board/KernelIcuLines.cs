using L4Re.Kernel.Objects;
using L4Re.Uvmm.Vmm;

namespace L4Re.Platform.BaikalT.Board;

/// <summary>
/// The SoC's interrupt wiring as the kernel sees it: a hardware device's interrupt output drives a pin of the kernel's
/// ICU (pin = GIC shared interrupt number), from where io hands it to the client of the device's vbus. Implements
/// uvmm's <see cref="IInterruptController"/> so that device models written for VMs (the 16550's <see cref="IrqSink"/>)
/// can drive physical lines too.
/// </summary>
/// <param name="icu">The kernel's ICU.</param>
public sealed class KernelIcuLines(Icu icu) : IInterruptController
{
    private readonly Icu _icu = icu ?? throw new ArgumentNullException(nameof(icu));
    private readonly Dictionary<int, IIrqSourceHandler?> _handlers = [];

    /// <inheritdoc />
    public string DeviceName => "soc-gic";

    /// <summary>Sets pin <paramref name="pin"/> to <paramref name="level"/>.</summary>
    public void SetLine(int pin, bool level) => _icu.SetLine((uint)pin, level);

    /// <summary>A delegate that drives pin <paramref name="pin"/>.</summary>
    public Action<bool> Line(int pin) => level => SetLine(pin, level);

    /// <inheritdoc />
    public void Set(int irq) => SetLine(irq, true);

    /// <inheritdoc />
    public void Clear(int irq) => SetLine(irq, false);

    /// <inheritdoc />
    public void BindSourceHandler(int irq, IIrqSourceHandler? handler) => _handlers[irq] = handler;

    /// <inheritdoc />
    public IIrqSourceHandler? GetSourceHandler(int irq) => _handlers.GetValueOrDefault(irq);

    /// <inheritdoc />
    public bool TryDecodeInterrupt(IReadOnlyList<uint> cells, out int irq)
    {
        ArgumentNullException.ThrowIfNull(cells);
        irq = cells.Count == 3 && cells[0] == 0 ? (int)cells[1] : -1;
        return irq >= 0;
    }
}
