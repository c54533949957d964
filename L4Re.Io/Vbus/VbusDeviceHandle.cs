namespace L4Re.Io.Vbus;

/// <summary>
/// A device handle on one vbus (<c>l4vbus_device_handle_t</c>). Handles are local to their vbus:
/// <see cref="Root"/> (<c>L4VBUS_ROOT_BUS</c> = 0) is the bus itself, devices are numbered from 1,
/// <see cref="Null"/> (<c>L4VBUS_NULL</c> = -1) is "no device" (values from kernkonzept/io
/// <c>libvbus/include/vbus.h</c>).
/// </summary>
/// <param name="Value">The raw handle.</param>
public readonly record struct VbusDeviceHandle(long Value)
{
    /// <summary>The root device: the vbus itself (<c>L4VBUS_ROOT_BUS</c>).</summary>
    public static VbusDeviceHandle Root => new(0);

    /// <summary>No device (<c>L4VBUS_NULL</c>); starts an enumeration.</summary>
    public static VbusDeviceHandle Null => new(-1);

    /// <inheritdoc />
    public override string ToString() => Value switch { 0 => "root", -1 => "null", _ => $"dev:{Value}" };
}
