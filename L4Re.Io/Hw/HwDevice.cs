using L4Re.Io.Config;

namespace L4Re.Io.Hw;

/// <summary>
/// A hardware device as io's configuration declares it (<c>Io.Hw.Device</c> in io's Lua config,
/// kernkonzept/io <c>io/doc/example.io</c>): a unique name, a HID, compatible ids (most specific
/// first), resources, io's <c>DF_dma_supported</c> flag and, for PCI functions, the PCI identity.
/// Instances are immutable; <see cref="HwRegistry"/> validates them when a configuration is loaded.
/// Build one with <see cref="HwDeviceBuilder"/> or the text format (docs/io.md).
/// </summary>
public sealed class HwDevice
{
    /// <summary>Creates a device description (not yet validated).</summary>
    public HwDevice(string name, string? hid, IReadOnlyList<string> compatible, IReadOnlyList<HwResource> resources,
        bool dmaCapable, PciIdentity? pci, ConfigLocation origin)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(compatible);
        ArgumentNullException.ThrowIfNull(resources);
        ArgumentNullException.ThrowIfNull(origin);
        Name = name;
        Hid = hid;
        Compatible = [.. compatible];
        Resources = [.. resources];
        DmaCapable = dmaCapable;
        Pci = pci;
        Origin = origin;
    }

    /// <summary>The device's unique name in the hardware registry (also the name its vbus shows, at most 63 characters as <c>l4vbus_device_t.name</c>).</summary>
    public string Name { get; }

    /// <summary>The hardware id (io's <c>Property.hid</c>), matched by HID globs; null when the device has none.</summary>
    public string? Hid { get; }

    /// <summary>Compatible ids, most specific first (io's <c>compatible</c>), matched exactly.</summary>
    public IReadOnlyList<string> Compatible { get; }

    /// <summary>The device's resources in declaration order (io's <c>Resource.*</c>).</summary>
    public IReadOnlyList<HwResource> Resources { get; }

    /// <summary>The device can master DMA (io's <c>Hw_device_DF_dma_supported</c>); it gets a DMA domain.</summary>
    public bool DmaCapable { get; }

    /// <summary>The PCI identity of a PCI function, or null for platform devices.</summary>
    public PciIdentity? Pci { get; }

    /// <summary>Where the device was defined.</summary>
    public ConfigLocation Origin { get; }

    /// <inheritdoc />
    public override string ToString() => Hid is null ? Name : $"{Name} (hid {Hid})";
}
