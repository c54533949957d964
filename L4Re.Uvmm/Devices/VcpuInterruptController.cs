using L4Re.Uvmm.Vmm;

namespace L4Re.Uvmm.Devices;

/// <summary>
/// The hardware interrupt lines 2–7 of one vCPU (uvmm: <c>Gic::Vcpu_ic</c>, ARCH-mips <c>core_ic.h</c>). Several
/// sources may share a line, so each line counts its asserted sources; the line is pending while the count is
/// positive. <see cref="PendingLines"/> is what the VMM writes to GuestCtl2.VIP (bits 15:10) before resuming the
/// vCPU, which the VZ hardware shows the guest as Cause.IP2–IP7.
/// </summary>
public sealed class VcpuInterruptController : IInterruptController
{
    /// <summary>The lowest hardware interrupt line (IP2).</summary>
    public const int MinLine = 2;

    /// <summary>The highest hardware interrupt line (IP7).</summary>
    public const int MaxLine = 7;

    private readonly int[] _count = new int[MaxLine - MinLine + 1];

    /// <summary>Creates the controller of vCPU <paramref name="vcpu"/>.</summary>
    /// <param name="vcpu">The vCPU id.</param>
    public VcpuInterruptController(int vcpu) => Vcpu = vcpu;

    /// <summary>The vCPU this controller belongs to.</summary>
    public int Vcpu { get; }

    /// <inheritdoc />
    public string DeviceName => $"core-ic{Vcpu}";

    /// <summary>Pending lines as a 6-bit vector: bit 0 = IP2 … bit 5 = IP7 (uvmm <c>irq_vector</c>).</summary>
    public uint PendingLines { get; private set; }

    /// <summary>The GuestCtl2 value with VIP (bits 15:10) set from <see cref="PendingLines"/>, other bits of <paramref name="guestCtl2"/> kept.</summary>
    /// <param name="guestCtl2">The current GuestCtl2.</param>
    public uint ApplyToGuestCtl2(uint guestCtl2) => (guestCtl2 & ~0xfc00u) | (PendingLines << 10);

    /// <summary>Raised after <see cref="PendingLines"/> changed (to wake a vCPU that sleeps in WAIT).</summary>
    public event Action<VcpuInterruptController>? Changed;

    /// <summary>The number of asserted sources on a line.</summary>
    /// <param name="line">2–7.</param>
    public int SourceCount(int line) => line is >= MinLine and <= MaxLine ? _count[line - MinLine] : 0;

    /// <inheritdoc />
    public void Set(int irq)
    {
        if (irq is < MinLine or > MaxLine)
            return;
        if (++_count[irq - MinLine] == 1)
            Update(PendingLines | 1u << (irq - MinLine));
    }

    /// <inheritdoc />
    public void Clear(int irq)
    {
        if (irq is < MinLine or > MaxLine || _count[irq - MinLine] == 0)
            return;
        if (--_count[irq - MinLine] == 0)
            Update(PendingLines & ~(1u << (irq - MinLine)));
    }

    private void Update(uint lines)
    {
        if (lines == PendingLines)
            return;
        PendingLines = lines;
        Changed?.Invoke(this);
    }

    /// <summary>Always fails: core lines have no end-of-interrupt notification (uvmm: "Use GIC for devices that require EOI").</summary>
    /// <param name="irq">The line.</param>
    /// <param name="handler">The handler.</param>
    /// <exception cref="InvalidOperationException">Always, unless <paramref name="handler"/> is null.</exception>
    public void BindSourceHandler(int irq, IIrqSourceHandler? handler)
    {
        if (handler is not null)
            throw new InvalidOperationException("the core interrupt controller has no EOI notification; use the GIC for sources that need it");
    }

    /// <inheritdoc />
    public IIrqSourceHandler? GetSourceHandler(int irq) => null;

    /// <summary>One cell: the CPU interrupt line 2–7 (Linux <c>mti,cpu-interrupt-controller</c> binding, <c>irq-mips-cpu.c</c>).</summary>
    /// <param name="cells">The specifier.</param>
    /// <param name="irq">The line.</param>
    public bool TryDecodeInterrupt(IReadOnlyList<uint> cells, out int irq)
    {
        irq = cells.Count >= 1 && cells[0] is >= MinLine and <= MaxLine ? (int)cells[0] : -1;
        return irq >= 0;
    }
}
