using L4Re.Io.Config;
using L4Re.Io.Dma;
using L4Re.Io.Hw;
using L4Re.Kernel.Abi;
using L4Re.Kernel.Objects;

namespace L4Re.Io.Vbus;

/// <summary>
/// A virtual bus (vbus): what one client of io may see and use — io's <c>Vi::System_bus</c>
/// (kernkonzept/io <c>io/server/src/virt/vbus.cc</c>), the object behind an <c>L4vbus::Vbus</c>
/// capability. Its devices are, in handle order: the vbus's virtual interrupt controller
/// (<see cref="IcuHandle"/>, io's <c>Vi::Sw_icu</c> named <c>L4ICU</c> with HID <c>L40009</c>, which io adds
/// as the first child of every vbus), then the hardware devices matched into it. The methods answer
/// the vbus protocol's queries with io's error codes (unknown handles <see cref="L4Error.NoDev"/>, an
/// index past the last resource <see cref="L4Error.NoEnt"/>); what grants access — mapping MMIO, ports,
/// binding IRQs and DMA spaces — happens only through the vbus capability
/// (<see cref="IoServer.Connect"/>). Once deleted, every operation fails with <see cref="L4Error.NoDev"/>.
/// </summary>
public sealed class VirtualBus
{
    private readonly VbusDevice[] _devices;
    private volatile bool _deleted;

    /// <summary>The domain id that names the whole vbus's DMA domain in <see cref="AssignDmaDomain"/> (<c>~0U</c>).</summary>
    public const uint WholeBusDomain = ~0u;

    /// <summary>The name of the vbus's virtual ICU device (io's <c>_icu-&gt;name("L4ICU")</c>).</summary>
    public const string IcuName = "L4ICU";

    /// <summary>The HID of the vbus's virtual ICU device (io's <c>Sw_icu::hid()</c>; uvmm looks the ICU up by it).</summary>
    public const string IcuHid = "L40009";

    /// <summary>The handle of the virtual ICU: the first child of the bus.</summary>
    public static VbusDeviceHandle IcuHandle => new(1);

    /// <summary>The handle of the first hardware device.</summary>
    public static VbusDeviceHandle FirstDeviceHandle => new(2);

    internal VirtualBus(string name, ConfigLocation origin, VbusDevice[] devices)
    {
        Name = name;
        Origin = origin;
        _devices = devices;
        var domains = devices.Where(d => d.Dma is not null).Select(d => d.Dma!).Distinct().ToArray();
        DmaDomains = domains.Length > 0 ? new DmaDomainSet(name, domains) : null;
        var irqs = new SortedDictionary<uint, IrqMode>();
        foreach (var d in devices)
            foreach (var r in d.Resources)
                if (r.Resource.Type == ResourceType.Irq)
                    for (var n = r.Resource.Start; n <= r.Resource.End && n <= uint.MaxValue; n++)
                        irqs.TryAdd((uint)n, r.Resource.IrqMode);
        Irqs = irqs;
    }

    /// <summary>The vbus's DMA domain (io's <c>Dma_domain_set</c>), or null when none of its devices can do DMA.</summary>
    public DmaDomainSet? DmaDomains { get; }

    /// <summary>The IRQ numbers of the vbus's devices with the trigger mode of their resource: the pins of its virtual ICU.</summary>
    public IReadOnlyDictionary<uint, IrqMode> Irqs { get; }

    /// <summary>The vbus name (the capability name its client receives).</summary>
    public string Name { get; }

    /// <summary>Where the vbus was declared.</summary>
    public ConfigLocation Origin { get; }

    /// <summary>True once io deleted the vbus; it then shows no devices and refuses every operation.</summary>
    public bool IsDeleted => _deleted;

    /// <summary>The hardware devices on this vbus, in handle order (empty once deleted).</summary>
    public IReadOnlyList<VbusDevice> Devices => _deleted ? [] : _devices;

    internal void MarkDeleted()
    {
        _deleted = true;
        DmaDomains?.Revoke();
    }

    /// <summary>Describes the device <paramref name="handle"/> (<c>L4vbus_vdevice_get</c>); the root is the bus itself.</summary>
    public L4Error GetDevice(VbusDeviceHandle handle, out VbusDeviceInfo info)
    {
        info = default;
        if (_deleted)
            return L4Error.NoDev;
        if (handle == VbusDeviceHandle.Root)
        {
            info = new VbusDeviceInfo(handle, Name, 0, true, 1u << (int)VbusInterface.Bus);
            return L4Error.Ok;
        }
        if (!TryIndex(handle, out var index))
            return L4Error.NoDev;
        info = Info(index);
        return L4Error.Ok;
    }

    /// <summary>
    /// Enumerates the children of <paramref name="parent"/> (<c>L4vbus_vdevice_get_next</c>): pass
    /// <see cref="VbusDeviceHandle.Null"/> in <paramref name="child"/> to get the first device (the ICU), then
    /// the previous result. Ends with <see cref="L4Error.NoDev"/>. Devices of a vbus are children of its root
    /// and have none themselves; an unknown <paramref name="child"/> is <see cref="L4Error.Inval"/>.
    /// </summary>
    public L4Error NextDevice(VbusDeviceHandle parent, ref VbusDeviceHandle child, out VbusDeviceInfo info)
    {
        info = default;
        if (_deleted)
            return L4Error.NoDev;
        var err = StartIndex(parent, child, L4Error.NoDev, out var index);
        if (err != L4Error.Ok)
            return err;
        if (index >= Count)
            return L4Error.NoDev;
        child = HandleOf(index);
        info = Info(index);
        return L4Error.Ok;
    }

    /// <summary>
    /// Finds the next device after <paramref name="child"/> under <paramref name="parent"/> whose HID
    /// equals <paramref name="hid"/> (<c>L4vbus_vdevice_get_by_hid</c>, exact comparison): none is
    /// <see cref="L4Error.NoEnt"/>, an empty HID <see cref="L4Error.Inval"/>.
    /// </summary>
    public L4Error FindByHid(VbusDeviceHandle parent, ref VbusDeviceHandle child, string hid, out VbusDeviceInfo info)
    {
        info = default;
        if (_deleted)
            return L4Error.NoDev;
        var err = StartIndex(parent, child, L4Error.NoEnt, out var index);
        if (err != L4Error.Ok)
            return err;
        if (string.IsNullOrEmpty(hid))
            return L4Error.Inval;
        for (var i = index; i < Count; i++)
        {
            if (!string.Equals(HidOf(i), hid, StringComparison.Ordinal))
                continue;
            child = HandleOf(i);
            info = Info(i);
            return L4Error.Ok;
        }
        return L4Error.NoEnt;
    }

    /// <summary>The HID of <paramref name="handle"/> (<c>L4vbus_vdevice_get_hid</c>); empty when it has none.</summary>
    public L4Error GetHid(VbusDeviceHandle handle, out string hid)
    {
        hid = "";
        if (_deleted)
            return L4Error.NoDev;
        if (handle == VbusDeviceHandle.Root)
            return L4Error.Ok;
        if (!TryIndex(handle, out var index))
            return L4Error.NoDev;
        hid = HidOf(index) ?? "";
        return L4Error.Ok;
    }

    /// <summary>
    /// The ACPI-style address of <paramref name="handle"/> (<c>L4vbus_vdevice_adr</c>): for a PCI function
    /// <c>device &lt;&lt; 16 | function</c>; <see cref="L4Error.NoSys"/> for devices without one (io's <c>~0</c>).
    /// </summary>
    public L4Error GetAdr(VbusDeviceHandle handle, out uint adr)
    {
        adr = 0;
        if (_deleted)
            return L4Error.NoDev;
        if (handle == VbusDeviceHandle.Root)
            return L4Error.NoSys;
        if (!TryIndex(handle, out var index))
            return L4Error.NoDev;
        if (index == 0 || _devices[index - 1].Pci?.Address is not { } a)
            return L4Error.NoSys;
        adr = ((uint)a.Device << 16) | a.Function;
        return L4Error.Ok;
    }

    /// <summary>
    /// Whether <paramref name="handle"/> matches the compatibility id <paramref name="cid"/> the way io's
    /// <c>match_cid</c> does (<see cref="MatchKind.Io"/>: HID glob, compatible id or PCI id string).
    /// A malformed or empty id matches nothing (over IPC an empty array is <see cref="L4Error.MsgTooShort"/>).
    /// </summary>
    public L4Error IsCompatible(VbusDeviceHandle handle, string cid, out bool compatible)
    {
        compatible = false;
        if (_deleted)
            return L4Error.NoDev;
        if (handle == VbusDeviceHandle.Root)
            return L4Error.Ok;
        if (!TryIndex(handle, out var index))
            return L4Error.NoDev;
        if (string.IsNullOrEmpty(cid))
            return L4Error.Ok;
        if (index == 0)
            compatible = HidGlob.TryCompile(cid, out var g, out _) && g!.IsMatch(IcuHid);
        else if (new MatchRule(MatchKind.Io, cid, ConfigLocation.Unknown).TryCompile(out var m, out _))
            compatible = m!.IsMatch(_devices[index - 1].Hardware);
        return L4Error.Ok;
    }

    /// <summary>Resource <paramref name="index"/> of <paramref name="handle"/> (<c>L4vbus_vdevice_get_resource</c>).</summary>
    public L4Error GetResource(VbusDeviceHandle handle, int index, out VbusResource resource)
    {
        resource = default;
        if (_deleted)
            return L4Error.NoDev;
        if (handle == VbusDeviceHandle.Root)
            return L4Error.NoEnt;
        if (!TryIndex(handle, out var i))
            return L4Error.NoDev;
        if (i == 0 || (uint)index >= (uint)_devices[i - 1].Resources.Count)
            return L4Error.NoEnt;
        resource = _devices[i - 1].Resources[index];
        return L4Error.Ok;
    }

    /// <summary>
    /// Whether <paramref name="resource"/> lies inside a resource of the same type of one of this vbus's
    /// devices (io's <c>System_bus::request_resource</c> lookup): <see cref="L4Error.Ok"/>, else
    /// <see cref="L4Error.NoEnt"/>, or <see cref="L4Error.Inval"/> for an empty or typeless range. Over the
    /// vbus capability only I/O ports are then mapped (<c>l4vbus_request_ioport</c>); MMIO windows are mapped
    /// through the vbus's dataspace interface.
    /// </summary>
    public L4Error RequestResource(in Resource resource)
    {
        if (_deleted)
            return L4Error.NoDev;
        if (resource.Type is ResourceType.Invalid or > ResourceType.DmaDomain || resource.Start > resource.End)
            return L4Error.Inval;
        return FindContaining(resource) is null ? L4Error.NoEnt : L4Error.Ok;
    }

    /// <summary>Gives back a requested resource (<c>L4vbus_vbus_release_resource</c>); same checks as <see cref="RequestResource"/>.</summary>
    public L4Error ReleaseResource(in Resource resource) => RequestResource(resource);

    /// <summary>
    /// Binds or unbinds a kernel DMA space to a DMA domain of this vbus (<c>L4vbus_vbus_assign_dma_domain</c>,
    /// io's <c>System_bus::assign_dma_domain</c>). <paramref name="domainId"/> is the range of one of the
    /// vbus's <c>DMA_DOMAIN</c> resources (that device's domain) or <see cref="WholeBusDomain"/> (every domain
    /// of the vbus). With an IOMMU the space is then bound to the devices' source ids in the kernel's IOMMU.
    /// Only kernel DMA spaces (<see cref="DmaDomainAssignFlags.KernelDmaSpace"/>) are modelled: an
    /// <c>L4Re::Dma_space</c> would be asked to <c>associate</c> io's space, which a kernel object refuses as a
    /// foreign protocol (<see cref="L4Error.BadProto"/>). Other flag bits are ignored, as io does.
    /// </summary>
    /// <returns><see cref="L4Error.Ok"/>; <see cref="L4Error.Inval"/> without a space or when unbinding a space that is not bound;
    /// <see cref="L4Error.NoEnt"/> for a domain not on this vbus (or a vbus without DMA); <see cref="L4Error.Busy"/> when a
    /// space is already bound; <see cref="L4Error.NoDev"/> without an IOMMU (io's CPU-phys domain takes no kernel DMA space).</returns>
    internal L4Error AssignDmaDomain(uint domainId, DmaDomainAssignFlags flags, DmaSpace? space, IIommuPort? port = null)
    {
        if (_deleted)
            return L4Error.NoDev;
        if (space is null)
            return L4Error.Inval;
        if (DmaDomains is not { } set)
            return L4Error.NoEnt;
        DmaDomain? one = null;
        if (domainId != WholeBusDomain && (one = set.Find(domainId)) is null)
            return L4Error.NoEnt;
        if ((flags & DmaDomainAssignFlags.KernelDmaSpace) == 0)
            return L4Error.BadProto;
        var bind = (flags & DmaDomainAssignFlags.Bind) != 0;
        return one is null ? set.SetDmaTask(bind, space, port) : one.SetDmaTask(bind, space, port);
    }

    /// <summary>The device resource that contains <paramref name="resource"/>, or null.</summary>
    internal VbusResource? FindContaining(in Resource resource)
    {
        foreach (var d in _devices)
        {
            var resources = d.Resources;
            for (var i = 0; i < resources.Count; i++)
            {
                if (resources[i].Resource.Contains(resource))
                    return resources[i];
            }
        }
        return null;
    }

    /// <inheritdoc />
    public override string ToString() => $"vbus {Name} ({_devices.Length} devices{(_deleted ? ", deleted" : "")})";

    // Child index 0 is the ICU, 1.. the hardware devices; handle = index + 1.
    private int Count => _devices.Length + 1;

    private static VbusDeviceHandle HandleOf(int index) => new(index + 1);

    private bool TryIndex(VbusDeviceHandle handle, out int index)
    {
        index = (int)Math.Clamp(handle.Value - 1, -1, int.MaxValue);
        return handle.Value >= 1 && handle.Value <= Count;
    }

    private string? HidOf(int index) => index == 0 ? IcuHid : _devices[index - 1].Hid;

    private L4Error StartIndex(VbusDeviceHandle parent, VbusDeviceHandle child, L4Error endOfChildren, out int index)
    {
        // io's rpc_get_dev_next_iterator: the parent must exist; from NULL the first child, else the one after
        // `child` (which must exist: EINVAL); a device has no children (its end is reached at once).
        index = 0;
        if (parent != VbusDeviceHandle.Root)
            return TryIndex(parent, out _) ? endOfChildren : L4Error.NoDev;
        if (child == VbusDeviceHandle.Null)
            return L4Error.Ok;
        if (child == VbusDeviceHandle.Root || !TryIndex(child, out var i))
            return L4Error.Inval;
        index = i + 1;
        return L4Error.Ok;
    }

    private VbusDeviceInfo Info(int index)
    {
        if (index == 0)
            return new VbusDeviceInfo(HandleOf(0), IcuName, 0, false, 1u << (int)VbusInterface.Icu);
        var d = _devices[index - 1];
        return new VbusDeviceInfo(d.Handle, d.Name, d.Resources.Count, false, d.Pci is null ? 0 : 1u << (int)VbusInterface.PciDev);
    }
}
