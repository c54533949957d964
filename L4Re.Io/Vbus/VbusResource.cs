using L4Re.Io.Hw;

namespace L4Re.Io.Vbus;

/// <summary>
/// A resource as <c>l4vbus_get_resource</c> returns it (<c>l4vbus_resource_t</c>): the resource
/// value plus the handle of the device that provides it.
/// </summary>
/// <param name="Resource">Type, flags, inclusive range and id.</param>
/// <param name="Provider">The providing device on this vbus.</param>
public readonly record struct VbusResource(Resource Resource, VbusDeviceHandle Provider)
{
    /// <inheritdoc />
    public override string ToString() => $"{Resource} ({Provider})";
}
