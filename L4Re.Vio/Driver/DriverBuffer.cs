namespace L4Re.Vio.Driver;

/// <summary>One buffer of a descriptor chain the driver side builds: a driver address, a length and its direction.</summary>
/// <param name="Address">The driver (guest-physical) address.</param>
/// <param name="Length">The length in bytes.</param>
/// <param name="DeviceWritable">True for a device-writable buffer (VIRTQ_DESC_F_WRITE), false for device-readable.</param>
public readonly record struct DriverBuffer(ulong Address, uint Length, bool DeviceWritable = false);
