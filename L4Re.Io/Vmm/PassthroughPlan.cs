using L4Re.Io.Hw;

namespace L4Re.Io.Vmm;

/// <summary>An MMIO window of a vbus device placed into the guest: guest-physical ← host-physical.</summary>
/// <param name="GuestAddress">Where the guest sees it.</param>
/// <param name="HostAddress">The window's physical address (the offset in the vbus dataspace).</param>
/// <param name="Size">The size in bytes.</param>
/// <param name="Flags">The resource's memory flags (rights and caching for the mapping).</param>
/// <param name="Device">The vbus device the window belongs to.</param>
public sealed record MmioPassthrough(ulong GuestAddress, ulong HostAddress, ulong Size, MemFlags Flags, VbusDeviceView Device);

/// <summary>A vbus IRQ routed to a guest IRQ of the virtual interrupt controller.</summary>
/// <param name="GuestIrq">The IRQ number the guest sees (the node's interrupt).</param>
/// <param name="HostIrq">The vbus IRQ (the resource's number, bound through the vbus ICU).</param>
public readonly record struct IrqRoute(uint GuestIrq, uint HostIrq);

/// <summary>A node that is passed through.</summary>
/// <param name="Node">The device-tree node.</param>
/// <param name="Devices">The vbus devices behind it (one for an <c>l4vmm,vbus-dev</c> node; for a 1:1 node every device one of its <c>reg</c> entries lies in).</param>
/// <param name="Mmio">Its windows: an <c>l4vmm,vbus-dev</c> node's <c>regN</c> resources at the node's <c>reg[N]</c>; a 1:1 node's entries at their own address.</param>
/// <param name="Irqs">Its IRQ routes.</param>
/// <param name="Ports">Port resources the VMM requests for an <c>l4vmm,vbus-dev</c> node.</param>
public sealed record PassthroughMatch(PassthroughNode Node, IReadOnlyList<VbusDeviceView> Devices, IReadOnlyList<MmioPassthrough> Mmio,
    IReadOnlyList<IrqRoute> Irqs, IReadOnlyList<Resource> Ports);

/// <summary>A node uvmm disables (<c>status = "disabled"</c>), with why.</summary>
/// <param name="Node">The node.</param>
/// <param name="Reason">uvmm's warning for it.</param>
public sealed record DisabledNode(PassthroughNode Node, string Reason);

/// <summary>
/// The outcome of matching a VM's device tree against its vbus, as uvmm's start-up computes it.
/// <see cref="Errors"/> lists what makes uvmm refuse to start (a <c>l4vmm,vbus-dev</c> device whose resources
/// do not fit its node); a VMM should treat a non-empty list as fatal.
/// </summary>
/// <param name="Matches">The nodes passed through, in device-tree order.</param>
/// <param name="Disabled">The nodes to disable.</param>
/// <param name="Kept">Nodes left enabled although unmatched (<c>l4vmm,force-enable</c>) or ignored (no <c>reg</c>, no <c>interrupts</c>).</param>
/// <param name="Regions">The 1:1 guest regions: every MMIO window of a vbus device not claimed by an <c>l4vmm,vbus-dev</c> node (uvmm maps them all, matched or not).</param>
/// <param name="PresentIrqs">The vbus IRQs of those devices (what 1:1 nodes may use).</param>
/// <param name="Errors">Fatal inconsistencies.</param>
public sealed record PassthroughPlan(IReadOnlyList<PassthroughMatch> Matches, IReadOnlyList<DisabledNode> Disabled, IReadOnlyList<PassthroughNode> Kept,
    IReadOnlyList<MmioPassthrough> Regions, IReadOnlyList<uint> PresentIrqs, IReadOnlyList<string> Errors)
{
    /// <summary>The match of the node <paramref name="path"/>, or null.</summary>
    public PassthroughMatch? MatchOf(string path) => Matches.FirstOrDefault(m => m.Node.Path == path);

    /// <summary>True when the node <paramref name="path"/> is to be disabled.</summary>
    public bool IsDisabled(string path) => Disabled.Any(d => d.Node.Path == path);
}
