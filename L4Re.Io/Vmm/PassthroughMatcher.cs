using L4Re.Io.Hw;

namespace L4Re.Io.Vmm;

/// <summary>
/// Matches a VM's device-tree nodes against the devices of its vbus the way uvmm does at start-up
/// (kernkonzept/uvmm <c>server/src/vm.cc</c> <c>scan_device_tree</c>, <c>server/src/io_proxy.cc</c>,
/// <c>server/src/virt_bus.cc</c>); read, not copied. Three steps:
/// <list type="number">
/// <item><b><c>l4vmm,vbus-dev</c> nodes</b> (uvmm's <c>create_from_vbus_dev</c>), in tree order: the first vbus
/// device with that HID not yet taken is claimed; its memory resource <c>regN</c> is placed at the node's
/// <c>reg[N]</c> (sizes must be equal), its IRQ resource <c>irqN</c> is routed to the node's <c>N</c>-th
/// interrupt, port resources are requested; resources with other names are skipped (uvmm warns). No such
/// device: the node is disabled. A resource without its <c>reg</c>/<c>interrupts</c> entry, a size mismatch,
/// or entries left without a resource are fatal in uvmm (<see cref="PassthroughPlan.Errors"/>).</item>
/// <item><b>1:1 regions</b> (<c>Virt_bus::collect_resources</c>): every MMIO window of every vbus device not
/// claimed in step 1 is placed at its own physical address, every such IRQ is present. PCI devices are left
/// out (<c>scan_bus</c> skips them: they belong to uvmm's virtual PCI host bridge).</item>
/// <item><b>Other nodes with <c>reg</c> or <c>interrupts</c></b> (uvmm's pass-through factory): each <c>reg</c>
/// entry must lie completely inside one 1:1 region (or in guest RAM), each interrupt on the virtual
/// interrupt controller must be a present vbus IRQ; then it is routed 1:1. Otherwise the node is disabled,
/// unless it has <c>l4vmm,force-enable</c>.</item>
/// </list>
/// Nodes with neither <c>reg</c> nor <c>interrupts</c> are left alone. A partial match is no match: a node
/// is passed through only when all of its entries are satisfied.
/// </summary>
public static class PassthroughMatcher
{
    /// <summary>Matches <paramref name="nodes"/> (in device-tree order) against <paramref name="vbus"/>.</summary>
    /// <param name="vbus">The VM's vbus devices (<see cref="VbusDeviceView.Scan"/>).</param>
    /// <param name="nodes">The physical-device candidates of the device tree.</param>
    /// <param name="guestRam">The VM's RAM ranges: <c>reg</c> entries there are accepted (uvmm: "references physical RAM").</param>
    public static PassthroughPlan Match(IReadOnlyList<VbusDeviceView> vbus, IReadOnlyList<PassthroughNode> nodes, IReadOnlyList<RegEntry>? guestRam = null)
    {
        ArgumentNullException.ThrowIfNull(vbus);
        ArgumentNullException.ThrowIfNull(nodes);
        var devices = vbus.Where(d => !d.IsPci).ToList();
        var claimed = new HashSet<VbusDeviceView>();
        var matches = new Dictionary<PassthroughNode, PassthroughMatch>();
        var disabled = new List<DisabledNode>();
        var kept = new List<PassthroughNode>();
        var errors = new List<string>();

        foreach (var node in nodes.Where(n => n.VbusDevice is not null))
        {
            if (!node.HasResources)
            {
                kept.Add(node);
                continue;
            }
            var device = devices.FirstOrDefault(d => d.Hid == node.VbusDevice && !claimed.Contains(d));
            if (device is null)
            {
                disabled.Add(new DisabledNode(node, $"requested vbus device '{node.VbusDevice}' not available"));
                continue;
            }
            var match = FromVbusDevice(node, device, out var error);
            if (error is not null)
            {
                errors.Add($"{node.Path}: {error}");
                disabled.Add(new DisabledNode(node, error));
                continue;
            }
            claimed.Add(device);
            matches[node] = match!;
        }

        var regions = devices.Where(d => !claimed.Contains(d))
            .SelectMany(d => d.Resources.Where(r => r.Type == ResourceType.Mem).Select(r => new MmioPassthrough(r.Start, r.Start, r.Size, r.MemFlags, d)))
            .ToList();
        var present = new SortedSet<uint>();
        foreach (var d in devices.Where(d => !claimed.Contains(d)))
            foreach (var r in d.Resources.Where(r => r.Type == ResourceType.Irq))
                for (var n = r.Start; n <= r.End && n <= uint.MaxValue && n - r.Start < 4096; n++)
                    present.Add((uint)n);

        foreach (var node in nodes.Where(n => n.VbusDevice is null))
        {
            if (!node.HasResources)
            {
                kept.Add(node);
                continue;
            }
            var reason = CheckRegs(node, regions, guestRam, out var mmio) ?? CheckIrqs(node, present);
            if (reason is not null)
            {
                if (node.ForceEnable)
                    kept.Add(node);
                else
                    disabled.Add(new DisabledNode(node, reason));
                continue;
            }
            var irqs = node.InterruptsOnVirtualIc ? node.Interrupts.Select(i => new IrqRoute(i, i)).ToList() : [];
            matches[node] = new PassthroughMatch(node, [.. mmio.Select(m => m.Device).Distinct()], mmio, irqs, []);
        }

        return new PassthroughPlan([.. nodes.Where(matches.ContainsKey).Select(n => matches[n])], disabled, kept, regions, [.. present], errors);
    }

    private static PassthroughMatch? FromVbusDevice(PassthroughNode node, VbusDeviceView device, out string? error)
    {
        error = null;
        var mmio = new List<MmioPassthrough>();
        var irqs = new List<IrqRoute>();
        var ports = new List<Resource>();
        var todoRegs = node.Reg.Count;
        var todoIrqs = node.Interrupts.Count;
        foreach (var r in device.Resources)
        {
            var name = r.Id.Name;
            switch (r.Type)
            {
                case ResourceType.Mem:
                {
                    if (!Numbered(name, "reg", out var n))
                        continue; // uvmm: "Vbus memory resource has no recognisable name"
                    if (n >= node.Reg.Count)
                    {
                        error = $"vbus memory resource '{name}' of '{device.Name}' has no reg[{n}] entry";
                        return null;
                    }
                    var dt = node.Reg[n];
                    if (r.Size != dt.Size)
                    {
                        error = $"vbus memory resource '{name}' of '{device.Name}' has 0x{r.Size:x} bytes but reg[{n}] 0x{dt.Size:x}";
                        return null;
                    }
                    mmio.Add(new MmioPassthrough(dt.Address, r.Start, dt.Size, r.MemFlags, device));
                    todoRegs--;
                    break;
                }
                case ResourceType.Irq:
                {
                    if (!Numbered(name, "irq", out var n))
                        continue; // uvmm: "Vbus IRQ resource has no recognisable name"
                    // uvmm compares N with the interrupts still unmatched; the intent — and what is checked here —
                    // is that the node has an N-th interrupt.
                    if (n >= node.Interrupts.Count)
                    {
                        error = $"vbus interrupt resource '{name}' of '{device.Name}' has no matching interrupts entry";
                        return null;
                    }
                    if (node.InterruptsOnVirtualIc)
                        irqs.Add(new IrqRoute(node.Interrupts[n], (uint)r.Start));
                    todoIrqs--;
                    break;
                }
                case ResourceType.Port:
                    ports.Add(r);
                    break;
            }
        }
        if (todoRegs > 0)
            error = $"not enough memory resources found in vbus device '{device.Name}' ({todoRegs} reg entries left)";
        else if (todoIrqs > 0)
            error = $"not enough interrupt resources found in vbus device '{device.Name}' ({todoIrqs} interrupts left)";
        return error is null ? new PassthroughMatch(node, [device], mmio, irqs, ports) : null;
    }

    private static bool Numbered(string name, string prefix, out int n)
    {
        n = 0;
        if (name.Length != prefix.Length + 1 || !name.StartsWith(prefix, StringComparison.Ordinal) || name[^1] is < '0' or > '9')
            return false;
        n = name[^1] - '0';
        return true;
    }

    private static string? CheckRegs(PassthroughNode node, List<MmioPassthrough> regions, IReadOnlyList<RegEntry>? ram, out List<MmioPassthrough> mmio)
    {
        mmio = [];
        for (var i = 0; i < node.Reg.Count; i++)
        {
            var reg = node.Reg[i];
            var end = reg.Address + reg.Size;
            if (end < reg.Address)
                return $"reg entry too large '{node.Path}'.reg[{i}]";
            var region = regions.FirstOrDefault(r => reg.Address >= r.GuestAddress && reg.Address - r.GuestAddress < r.Size);
            if (region is null)
            {
                if (ram?.Any(m => reg.Address >= m.Address && reg.Address - m.Address < m.Size) == true)
                    continue; // "references physical RAM"
                return $"no corresponding IO resource for '{node.Path}'.reg[{i}] (0x{reg.Address:x}-0x{end - 1:x})";
            }
            if (end - region.GuestAddress > region.Size)
                return $"reg entry '{node.Path}'.reg[{i}] exceeds corresponding IO resource";
            mmio.Add(new MmioPassthrough(reg.Address, reg.Address, reg.Size, region.Flags, region.Device));
        }
        return null;
    }

    private static string? CheckIrqs(PassthroughNode node, SortedSet<uint> present)
    {
        if (!node.InterruptsOnVirtualIc)
            return null;
        foreach (var irq in node.Interrupts)
            if (!present.Contains(irq))
                return $"no corresponding IO resource for '{node.Path}' IRQ {irq}";
        return null;
    }
}
