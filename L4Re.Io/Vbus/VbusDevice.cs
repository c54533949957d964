using L4Re.Io.Hw;

namespace L4Re.Io.Vbus;

/// <summary>
/// A device as the client of one vbus sees it (io's virtual device wrapping a hardware device,
/// <c>Vi::Proxy_dev</c>): its handle on that vbus, name, HID, compatible ids, PCI identity and
/// resources — the hardware resources plus, for a DMA-capable device, its DMA domain.
/// </summary>
public sealed class VbusDevice
{
    internal VbusDevice(VbusDeviceHandle handle, HwDevice hardware, Dma.DmaDomain? dma)
    {
        Handle = handle;
        Hardware = hardware;
        Dma = dma;
        var dmaDomain = dma?.Id;
        var list = new List<VbusResource>(hardware.Resources.Count + 1);
        foreach (var r in hardware.Resources)
            list.Add(new VbusResource(r.Value, handle));
        if (dmaDomain is { } d)
            list.Add(new VbusResource(Resource.DmaDomain(d), handle));
        Resources = list;
    }

    /// <summary>The handle on its vbus.</summary>
    public VbusDeviceHandle Handle { get; }

    /// <summary>The device name.</summary>
    public string Name => Hardware.Name;

    /// <summary>The hardware id, or null.</summary>
    public string? Hid => Hardware.Hid;

    /// <summary>Compatible ids, most specific first.</summary>
    public IReadOnlyList<string> Compatible => Hardware.Compatible;

    /// <summary>The PCI identity, or null.</summary>
    public PciIdentity? Pci => Hardware.Pci;

    /// <summary>Every resource the client may request, in <c>get_resource</c> index order.</summary>
    public IReadOnlyList<VbusResource> Resources { get; }

    /// <summary>The device's DMA domain number, or null when it cannot do DMA.</summary>
    public uint? DmaDomain => Dma?.Id;

    /// <summary>The device's hardware DMA domain, or null when it cannot do DMA.</summary>
    public Dma.DmaDomain? Dma { get; }

    /// <summary>The hardware device behind this view (for io itself and the VMM's device binding).</summary>
    internal HwDevice Hardware { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Handle} {Name}";
}
