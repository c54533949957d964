namespace L4Re.Io.Vbus;

/// <summary>What <c>l4vbus_get_device</c> reports about a device (<c>l4vbus_device_t</c>).</summary>
/// <param name="Handle">The device's handle.</param>
/// <param name="Name">The device name (at most 63 characters, <c>L4VBUS_DEV_NAME_LEN</c> - 1).</param>
/// <param name="ResourceCount">How many resources <c>get_resource</c> enumerates (<c>num_resources</c>).</param>
/// <param name="HasChildren">The device has child devices (<c>L4VBUS_DEVICE_F_CHILDREN</c> = 0x10); true only for the root.</param>
/// <param name="InterfaceType">The bit set of the sub-interfaces the device speaks (<c>l4vbus_device_t.type</c>, bits of <see cref="VbusInterface"/>).</param>
public readonly record struct VbusDeviceInfo(VbusDeviceHandle Handle, string Name, int ResourceCount, bool HasChildren, uint InterfaceType = 0)
{
    /// <summary><c>L4VBUS_DEVICE_F_CHILDREN</c>, the flag value of <see cref="HasChildren"/>.</summary>
    public const uint FlagChildren = 0x10;

    /// <summary>The <c>l4vbus_device_t.flags</c> word.</summary>
    public uint Flags => HasChildren ? FlagChildren : 0;

    /// <summary>True when the device speaks <paramref name="iface"/> (<c>l4vbus_subinterface_supported</c>).</summary>
    public bool Supports(VbusInterface iface) => iface == VbusInterface.Generic || (InterfaceType & (1u << (int)iface)) != 0;
}
