namespace L4Re.Vio.Devices.Console;

/// <summary>virtio-console feature bits (virtio 1.x §5.3.3).</summary>
public static class ConsoleFeatures
{
    /// <summary>VIRTIO_CONSOLE_F_SIZE (0): <c>cols</c> and <c>rows</c> are valid.</summary>
    public const ulong Size = 1UL << 0;

    /// <summary>VIRTIO_CONSOLE_F_MULTIPORT (1): multiple ports and a control queue (not offered).</summary>
    public const ulong Multiport = 1UL << 1;

    /// <summary>VIRTIO_CONSOLE_F_EMERG_WRITE (2): <c>emerg_wr</c> writes a character immediately.</summary>
    public const ulong EmergencyWrite = 1UL << 2;
}
