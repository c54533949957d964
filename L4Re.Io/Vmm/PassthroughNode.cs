namespace L4Re.Io.Vmm;

/// <summary>One entry of a device-tree node's <c>reg</c> property (already translated to a guest-physical address).</summary>
/// <param name="Address">The guest-physical start address.</param>
/// <param name="Size">The size in bytes.</param>
public readonly record struct RegEntry(ulong Address, ulong Size)
{
    /// <summary>The last address (inclusive).</summary>
    public ulong Last => Address + Size - 1;
}

/// <summary>
/// A device-tree node the VMM wants to pass through (what uvmm reads from the node: <c>reg</c>, the
/// <c>interrupts</c> of its interrupt parent, <c>l4vmm,vbus-dev</c> and <c>l4vmm,force-enable</c>). Give the
/// VMM's physical-device candidates only: nodes of virtual devices, memory and CPU nodes are handled
/// elsewhere (uvmm's first pass and <c>add_phys_device</c>).
/// </summary>
/// <param name="Path">The node's path or name (for messages).</param>
/// <param name="Reg">The <c>reg</c> entries.</param>
/// <param name="Interrupts">The guest IRQ numbers of the <c>interrupts</c> entries, in order.</param>
/// <param name="VbusDevice">The HID in <c>l4vmm,vbus-dev</c>, or null for plain 1:1 pass-through.</param>
/// <param name="ForceEnable">The node has <c>l4vmm,force-enable</c>: it stays enabled even when it cannot be matched.</param>
/// <param name="InterruptsOnVirtualIc">The interrupt parent is the VM's virtual interrupt controller (uvmm's <c>ic_is_virt</c>); otherwise the interrupts are not the VMM's business.</param>
public sealed record PassthroughNode(string Path, IReadOnlyList<RegEntry> Reg, IReadOnlyList<uint> Interrupts,
    string? VbusDevice = null, bool ForceEnable = false, bool InterruptsOnVirtualIc = true)
{
    /// <summary>True when the node has <c>reg</c> or <c>interrupts</c> (uvmm ignores nodes with neither).</summary>
    public bool HasResources => Reg.Count > 0 || Interrupts.Count > 0;
}
