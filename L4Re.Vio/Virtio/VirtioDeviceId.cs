namespace L4Re.Vio.Virtio;

/// <summary>virtio device IDs (virtio 1.x §5).</summary>
public enum VirtioDeviceId : uint
{
    /// <summary>Reserved / no device.</summary>
    Invalid = 0,
    /// <summary>Network card.</summary>
    Net = 1,
    /// <summary>Block device.</summary>
    Block = 2,
    /// <summary>Console.</summary>
    Console = 3,
}
