namespace L4Re.Vio.Virtio;

/// <summary>
/// Register offsets of the virtio-mmio transport, version 2 layout (virtio 1.x §4.2.2; the same layout as
/// l4virtio's <c>l4virtio_config_hdr_t</c> that uvmm exposes). All registers are 32 bits wide and
/// little-endian; the device-specific configuration space starts at <see cref="Config"/>.
/// </summary>
public enum MmioRegister
{
    /// <summary>R: 0x74726976 ("virt").</summary>
    MagicValue = 0x000,
    /// <summary>R: device version, 2 for the non-legacy interface.</summary>
    Version = 0x004,
    /// <summary>R: virtio subsystem device ID.</summary>
    DeviceId = 0x008,
    /// <summary>R: virtio subsystem vendor ID.</summary>
    VendorId = 0x00c,
    /// <summary>R: 32 device feature bits selected by <see cref="DeviceFeaturesSel"/>.</summary>
    DeviceFeatures = 0x010,
    /// <summary>W: selects the 32-bit word of device features.</summary>
    DeviceFeaturesSel = 0x014,
    /// <summary>W: 32 driver feature bits selected by <see cref="DriverFeaturesSel"/>.</summary>
    DriverFeatures = 0x020,
    /// <summary>W: selects the 32-bit word of driver features.</summary>
    DriverFeaturesSel = 0x024,
    /// <summary>W: selects the virtqueue the queue registers refer to.</summary>
    QueueSel = 0x030,
    /// <summary>R: maximum size of the selected queue, 0 if the queue does not exist.</summary>
    QueueNumMax = 0x034,
    /// <summary>W: size of the selected queue.</summary>
    QueueNum = 0x038,
    /// <summary>RW: writing 1 enables the selected queue, 0 disables it; reads the current state.</summary>
    QueueReady = 0x044,
    /// <summary>W: queue notification — the value is the queue index.</summary>
    QueueNotify = 0x050,
    /// <summary>R: pending interrupt events (<see cref="InterruptStatus"/>).</summary>
    InterruptStatus = 0x060,
    /// <summary>W: acknowledges the events whose bits are set.</summary>
    InterruptAck = 0x064,
    /// <summary>RW: device status (<see cref="DeviceStatus"/>); writing 0 resets the device.</summary>
    Status = 0x070,
    /// <summary>W: descriptor area of the selected queue, low 32 bits.</summary>
    QueueDescLow = 0x080,
    /// <summary>W: descriptor area, high 32 bits.</summary>
    QueueDescHigh = 0x084,
    /// <summary>W: driver area (available ring), low 32 bits.</summary>
    QueueDriverLow = 0x090,
    /// <summary>W: driver area, high 32 bits.</summary>
    QueueDriverHigh = 0x094,
    /// <summary>W: device area (used ring), low 32 bits.</summary>
    QueueDeviceLow = 0x0a0,
    /// <summary>W: device area, high 32 bits.</summary>
    QueueDeviceHigh = 0x0a4,
    /// <summary>W: selects a shared memory region.</summary>
    ShmSel = 0x0ac,
    /// <summary>R: length of the selected shared memory region, low 32 bits (all ones: no such region).</summary>
    ShmLenLow = 0x0b0,
    /// <summary>R: length, high 32 bits.</summary>
    ShmLenHigh = 0x0b4,
    /// <summary>R: base address of the selected shared memory region, low 32 bits.</summary>
    ShmBaseLow = 0x0b8,
    /// <summary>R: base address, high 32 bits.</summary>
    ShmBaseHigh = 0x0bc,
    /// <summary>RW: per-queue reset (only with VIRTIO_F_RING_RESET, which is not offered; reads 0).</summary>
    QueueReset = 0x0c0,
    /// <summary>R: configuration atomicity value; changes whenever the configuration space changes.</summary>
    ConfigGeneration = 0x0fc,
    /// <summary>RW: first byte of the device-specific configuration space.</summary>
    Config = 0x100,
}
