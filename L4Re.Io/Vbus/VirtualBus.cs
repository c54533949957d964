using L4Re.Io.Config;
using L4Re.Io.Dma;
using L4Re.Io.Hw;
using L4Re.Kernel.Abi;
using L4Re.Kernel.Objects;

namespace L4Re.Io.Vbus;

/// <summary>
/// A virtual bus (vbus): what one client of io may see and use — io's <c>Vi::System_bus</c>
/// (kernkonzept/io <c>io/server/src/virt/vbus.cc</c>), the object behind an <c>L4vbus::Vbus</c>
/// capability. Its operations mirror the vbus protocol
/// (<see cref="VbusOpcode"/>) and answer with the same error codes, so that the capability layer can
/// serve this object through an IPC gate unchanged:
/// unknown handles give <see cref="L4Error.NoDev"/>, an index past the last resource or an
/// unknown resource <see cref="L4Error.NoEnt"/>. Nothing outside the vbus's own devices is reachable
/// through it; once deleted, every operation fails with <see cref="L4Error.NoDev"/>.
/// </summary>
public sealed class VirtualBus
{
    private readonly VbusDevice[] _devices;
    private volatile bool _deleted;

    /// <summary>The domain id that names the whole vbus's DMA domain in <see cref="AssignDmaDomain"/> (<c>~0U</c>).</summary>
    public const uint WholeBusDomain = ~0u;

    internal VirtualBus(string name, ConfigLocation origin, VbusDevice[] devices)
    {
        Name = name;
        Origin = origin;
        _devices = devices;
        var domains = devices.Where(d => d.Dma is not null).Select(d => d.Dma!).Distinct().ToArray();
        DmaDomains = domains.Length > 0 ? new DmaDomainSet(name, domains) : null;
    }

    /// <summary>The vbus's DMA domain (io's <c>Dma_domain_set</c>), or null when none of its devices can do DMA.</summary>
    public DmaDomainSet? DmaDomains { get; }

    /// <summary>The vbus name (the capability name its client receives).</summary>
    public string Name { get; }

    /// <summary>Where the vbus was declared.</summary>
    public ConfigLocation Origin { get; }

    /// <summary>True once io deleted the vbus; it then shows no devices and refuses every operation.</summary>
    public bool IsDeleted => _deleted;

    /// <summary>The devices on this vbus, in handle order (empty once deleted).</summary>
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
            info = new VbusDeviceInfo(handle, Name, 0, _devices.Length > 0);
            return L4Error.Ok;
        }
        if (Lookup(handle) is not { } d)
            return L4Error.NoDev;
        info = Info(d);
        return L4Error.Ok;
    }

    /// <summary>
    /// Enumerates the children of <paramref name="parent"/> (<c>L4vbus_vdevice_get_next</c>): pass
    /// <see cref="VbusDeviceHandle.Null"/> in <paramref name="child"/> to get the first device, then
    /// the previous result. Ends with <see cref="L4Error.NoDev"/>. Devices of a vbus are children
    /// of its root and have none themselves.
    /// </summary>
    public L4Error NextDevice(VbusDeviceHandle parent, ref VbusDeviceHandle child, out VbusDeviceInfo info)
    {
        info = default;
        if (_deleted)
            return L4Error.NoDev;
        var err = NextIndex(parent, child, out var index);
        if (err != L4Error.Ok)
            return err;
        child = _devices[index].Handle;
        info = Info(_devices[index]);
        return L4Error.Ok;
    }

    /// <summary>
    /// Finds the next device after <paramref name="child"/> under <paramref name="parent"/> whose HID
    /// equals <paramref name="hid"/> (<c>L4vbus_vdevice_get_by_hid</c>, exact comparison).
    /// </summary>
    public L4Error FindByHid(VbusDeviceHandle parent, ref VbusDeviceHandle child, string hid, out VbusDeviceInfo info)
    {
        info = default;
        if (_deleted)
            return L4Error.NoDev;
        if (string.IsNullOrEmpty(hid))
            return L4Error.Inval;
        if (parent != VbusDeviceHandle.Root)
            return Lookup(parent) is null ? L4Error.NoDev : L4Error.NoEnt; // devices have no children
        int start;
        if (child == VbusDeviceHandle.Null)
            start = 0;
        else if (Lookup(child) is null)
            return L4Error.Inval;
        else
            start = (int)child.Value; // the index after the child's
        for (var i = start; i < _devices.Length; i++)
        {
            if (!string.Equals(_devices[i].Hid, hid, StringComparison.Ordinal))
                continue;
            child = _devices[i].Handle;
            info = Info(_devices[i]);
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
        if (Lookup(handle) is not { } d)
            return L4Error.NoDev;
        hid = d.Hid ?? "";
        return L4Error.Ok;
    }

    /// <summary>
    /// Whether <paramref name="handle"/> matches the compatibility id <paramref name="cid"/> the way io's
    /// <c>match_cid</c> does (<see cref="MatchKind.Io"/>: HID glob, compatible id or PCI id string).
    /// A malformed id matches nothing.
    /// </summary>
    public L4Error IsCompatible(VbusDeviceHandle handle, string cid, out bool compatible)
    {
        compatible = false;
        if (_deleted)
            return L4Error.NoDev;
        if (string.IsNullOrEmpty(cid))
            return L4Error.MsgTooShort;
        if (handle == VbusDeviceHandle.Root)
            return L4Error.Ok;
        if (Lookup(handle) is not { } d)
            return L4Error.NoDev;
        if (new MatchRule(MatchKind.Io, cid, ConfigLocation.Unknown).TryCompile(out var m, out _))
            compatible = m!.IsMatch(d.Hardware);
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
        if (Lookup(handle) is not { } d)
            return L4Error.NoDev;
        if ((uint)index >= (uint)d.Resources.Count)
            return L4Error.NoEnt;
        resource = d.Resources[index];
        return L4Error.Ok;
    }

    /// <summary>
    /// Asks for <paramref name="resource"/> (<c>L4vbus_vbus_request_resource</c>): succeeds only when the
    /// range lies inside a resource of the same type of one of this vbus's devices
    /// (io's <c>System_bus::request_resource</c>); otherwise <see cref="L4Error.NoEnt"/>, or
    /// <see cref="L4Error.Inval"/> for an empty or typeless range. The capability layer will map the
    /// MMIO window into the client's task or VM here.
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
    public L4Error AssignDmaDomain(uint domainId, DmaDomainAssignFlags flags, DmaSpace? space)
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
        return one is null ? set.SetDmaTask(bind, space) : one.SetDmaTask(bind, space);
    }

    /// <summary>The device resource that contains <paramref name="resource"/>, or null.</summary>
    internal VbusResource? FindContaining(in Resource resource)
    {
        foreach (var d in _devices)
            foreach (var r in d.Resources)
                if (r.Resource.Contains(resource))
                    return r;
        return null;
    }

    /// <inheritdoc />
    public override string ToString() => $"vbus {Name} ({_devices.Length} devices{(_deleted ? ", deleted" : "")})";

    private VbusDevice? Lookup(VbusDeviceHandle handle) =>
        handle.Value >= 1 && handle.Value <= _devices.Length ? _devices[handle.Value - 1] : null;

    private L4Error NextIndex(VbusDeviceHandle parent, VbusDeviceHandle child, out int index)
    {
        index = -1;
        if (parent != VbusDeviceHandle.Root)
            return L4Error.NoDev; // an unknown device, or a device: devices have no children
        if (child == VbusDeviceHandle.Null)
            index = 0;
        else if (Lookup(child) is null)
            return L4Error.Inval;
        else
            index = (int)child.Value;
        return index < _devices.Length ? L4Error.Ok : L4Error.NoDev;
    }

    private static VbusDeviceInfo Info(VbusDevice d) => new(d.Handle, d.Name, d.Resources.Count, false);
}
