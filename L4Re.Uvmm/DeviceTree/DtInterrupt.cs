namespace L4Re.Uvmm.DeviceTree;

/// <summary>
/// One interrupt specifier of a node: the interrupt controller node it refers to and the
/// <c>#interrupt-cells</c> cells that describe it (for <c>mti,gic</c>: type, number, flags; for
/// <c>mti,cpu-interrupt-controller</c>: the CPU interrupt line).
/// </summary>
/// <param name="Controller">The interrupt parent (a node with <c>interrupt-controller</c>).</param>
/// <param name="Cells">The specifier cells.</param>
public sealed record DtInterrupt(DtNode Controller, IReadOnlyList<uint> Cells)
{
    /// <inheritdoc />
    public override string ToString() => $"{Controller.Path} <{string.Join(' ', Cells.Select(c => $"0x{c:x}"))}>";
}
