namespace L4Re.Vio.Virtio;

/// <summary>The virtio device status field (virtio 1.x §2.1).</summary>
[Flags]
public enum DeviceStatus : byte
{
    /// <summary>Reset state.</summary>
    None = 0,
    /// <summary>The guest OS has found the device.</summary>
    Acknowledge = 1,
    /// <summary>The guest OS knows how to drive the device.</summary>
    Driver = 2,
    /// <summary>The driver is set up and ready to drive the device.</summary>
    DriverOk = 4,
    /// <summary>The driver has acknowledged the features it understands; negotiation is complete.</summary>
    FeaturesOk = 8,
    /// <summary>The device has experienced an error from which it cannot recover.</summary>
    DeviceNeedsReset = 64,
    /// <summary>Something went wrong in the guest; it has given up on the device.</summary>
    Failed = 128,
}
