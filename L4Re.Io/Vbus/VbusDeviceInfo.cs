namespace L4Re.Io.Vbus;

/// <summary>What <c>l4vbus_get_device</c> reports about a device (<c>l4vbus_device_t</c>).</summary>
/// <param name="Handle">The device's handle.</param>
/// <param name="Name">The device name (at most 63 characters, <c>L4VBUS_DEV_NAME_LEN</c> - 1).</param>
/// <param name="ResourceCount">How many resources <c>get_resource</c> enumerates (<c>num_resources</c>).</param>
/// <param name="HasChildren">The device has child devices (<c>L4VBUS_DEVICE_F_CHILDREN</c> = 0x10); true only for a non-empty root.</param>
public readonly record struct VbusDeviceInfo(VbusDeviceHandle Handle, string Name, int ResourceCount, bool HasChildren)
{
    /// <summary><c>L4VBUS_DEVICE_F_CHILDREN</c>, the flag value of <see cref="HasChildren"/>.</summary>
    public const uint FlagChildren = 0x10;

    /// <summary>The <c>l4vbus_device_t.flags</c> word.</summary>
    public uint Flags => HasChildren ? FlagChildren : 0;
}
