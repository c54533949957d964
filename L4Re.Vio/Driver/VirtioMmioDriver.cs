using L4Re.Vio.Memory;
using L4Re.Vio.Virtio;

namespace L4Re.Vio.Driver;

/// <summary>
/// A virtio-mmio driver for native programs and tests: probes a <see cref="VirtioMmioTransport"/>, runs the
/// initialization sequence of virtio 1.x §3.1.1 (reset, ACKNOWLEDGE, DRIVER, feature negotiation,
/// FEATURES_OK and its check, queue setup, DRIVER_OK) the way Linux's drivers/virtio/virtio_mmio.c does,
/// notifies queues and acknowledges interrupts. Every access goes through the transport's registers, exactly
/// as a guest's loads and stores would.
/// </summary>
public sealed class VirtioMmioDriver
{
    /// <summary>Creates a driver for <paramref name="transport"/> that places its queues with <paramref name="allocator"/>.</summary>
    public VirtioMmioDriver(VirtioMmioTransport transport, DriverMemoryList memory, GuestMemoryAllocator allocator)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(memory);
        ArgumentNullException.ThrowIfNull(allocator);
        Transport = transport;
        Memory = memory;
        Allocator = allocator;
    }

    /// <summary>The transport (the device's registers).</summary>
    public VirtioMmioTransport Transport { get; }

    /// <summary>The driver memory the queues and buffers live in.</summary>
    public DriverMemoryList Memory { get; }

    /// <summary>The allocator for queues and buffers.</summary>
    public GuestMemoryAllocator Allocator { get; }

    /// <summary>The negotiated features after <see cref="Initialize"/>.</summary>
    public ulong Features { get; private set; }

    /// <summary>
    /// Resets the device, sets ACKNOWLEDGE and DRIVER, accepts <paramref name="wanted"/> ∩ offered (plus
    /// VERSION_1), sets FEATURES_OK and checks that the device kept it. Returns the negotiated features.
    /// </summary>
    /// <exception cref="InvalidOperationException">Not a virtio-mmio version 2 device, or the device refused the features.</exception>
    public ulong Initialize(ulong wanted)
    {
        if (Transport.Read(MmioRegister.MagicValue) != VirtioMmioTransport.Magic || Transport.Read(MmioRegister.Version) != 2)
            throw new InvalidOperationException("not a virtio-mmio version 2 device");
        if (Transport.Read(MmioRegister.DeviceId) == 0)
            throw new InvalidOperationException("virtio-mmio placeholder (device ID 0)");
        Transport.Write(MmioRegister.Status, 0);
        SetStatus(DeviceStatus.Acknowledge);
        SetStatus(DeviceStatus.Driver);
        Transport.Write(MmioRegister.DeviceFeaturesSel, 1);
        var offered = (ulong)Transport.Read(MmioRegister.DeviceFeatures) << 32;
        Transport.Write(MmioRegister.DeviceFeaturesSel, 0);
        offered |= Transport.Read(MmioRegister.DeviceFeatures);
        var features = (wanted | VirtioFeatures.Version1) & offered;
        if ((features & VirtioFeatures.Version1) == 0)
            throw new InvalidOperationException("the device does not offer VIRTIO_F_VERSION_1");
        WriteFeatures(features);
        SetStatus(DeviceStatus.FeaturesOk);
        if (((DeviceStatus)Transport.Read(MmioRegister.Status) & DeviceStatus.FeaturesOk) == 0)
            throw new InvalidOperationException($"the device refused features 0x{features:x}");
        Features = features;
        return features;
    }

    /// <summary>Writes the 64 driver feature bits (two 32-bit words, as Linux's vm_finalize_features).</summary>
    public void WriteFeatures(ulong features)
    {
        Transport.Write(MmioRegister.DriverFeaturesSel, 1);
        Transport.Write(MmioRegister.DriverFeatures, (uint)(features >> 32));
        Transport.Write(MmioRegister.DriverFeaturesSel, 0);
        Transport.Write(MmioRegister.DriverFeatures, (uint)features);
    }

    /// <summary>ORs <paramref name="bits"/> into the status register.</summary>
    public void SetStatus(DeviceStatus bits) =>
        Transport.Write(MmioRegister.Status, Transport.Read(MmioRegister.Status) | (uint)bits);

    /// <summary>The status register.</summary>
    public DeviceStatus Status => (DeviceStatus)Transport.Read(MmioRegister.Status);

    /// <summary>
    /// Sets up queue <paramref name="index"/> with <paramref name="size"/> entries (0 = the device maximum):
    /// allocates its areas, writes QueueNum and the addresses and sets QueueReady (Linux vm_setup_vq).
    /// </summary>
    /// <exception cref="InvalidOperationException">The queue does not exist, is already set up, or the device refused it.</exception>
    public VirtqueueDriver SetupQueue(int index, int size = 0)
    {
        Transport.Write(MmioRegister.QueueSel, (uint)index);
        if (Transport.Read(MmioRegister.QueueReady) != 0)
            throw new InvalidOperationException($"queue {index} is already set up");
        var max = (int)Transport.Read(MmioRegister.QueueNumMax);
        if (max == 0)
            throw new InvalidOperationException($"queue {index} does not exist");
        if (size == 0 || size > max)
            size = max;
        var q = VirtqueueDriver.Allocate(Memory, Allocator, size, Features);
        Transport.Write(MmioRegister.QueueNum, (uint)size);
        WriteQueueAddresses(q.DescriptorArea, q.DriverArea, q.DeviceArea);
        Transport.Write(MmioRegister.QueueReady, 1);
        if (Transport.Read(MmioRegister.QueueReady) != 1)
            throw new InvalidOperationException($"the device refused queue {index}");
        return q;
    }

    /// <summary>Programs queue <paramref name="index"/> with the areas of an existing <paramref name="queue"/> and sets QueueReady.</summary>
    /// <returns>Whether the device accepted the queue.</returns>
    public bool SetupQueue(int index, VirtqueueDriver queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        Transport.Write(MmioRegister.QueueSel, (uint)index);
        Transport.Write(MmioRegister.QueueNum, (uint)queue.Size);
        WriteQueueAddresses(queue.DescriptorArea, queue.DriverArea, queue.DeviceArea);
        Transport.Write(MmioRegister.QueueReady, 1);
        return Transport.Read(MmioRegister.QueueReady) == 1;
    }

    /// <summary>Writes the three area addresses of the selected queue.</summary>
    public void WriteQueueAddresses(ulong descriptorArea, ulong driverArea, ulong deviceArea)
    {
        Transport.Write(MmioRegister.QueueDescLow, (uint)descriptorArea);
        Transport.Write(MmioRegister.QueueDescHigh, (uint)(descriptorArea >> 32));
        Transport.Write(MmioRegister.QueueDriverLow, (uint)driverArea);
        Transport.Write(MmioRegister.QueueDriverHigh, (uint)(driverArea >> 32));
        Transport.Write(MmioRegister.QueueDeviceLow, (uint)deviceArea);
        Transport.Write(MmioRegister.QueueDeviceHigh, (uint)(deviceArea >> 32));
    }

    /// <summary>Sets DRIVER_OK.</summary>
    public void DriverOk() => SetStatus(DeviceStatus.DriverOk);

    /// <summary>Publishes <paramref name="queue"/>'s new chains and notifies the device if it wants a notification.</summary>
    /// <returns>Whether a notification was written.</returns>
    public bool Kick(VirtqueueDriver queue, int index)
    {
        ArgumentNullException.ThrowIfNull(queue);
        queue.Publish();
        if (!queue.NeedsKick())
            return false;
        Transport.Write(MmioRegister.QueueNotify, (uint)index);
        return true;
    }

    /// <summary>Reads InterruptStatus and acknowledges every pending event (Linux vm_interrupt).</summary>
    public InterruptStatus AcknowledgeInterrupts()
    {
        var status = Transport.Read(MmioRegister.InterruptStatus);
        if (status != 0)
            Transport.Write(MmioRegister.InterruptAck, status);
        return (InterruptStatus)status;
    }

    /// <summary>
    /// Reads configuration bytes consistently: repeats until ConfigGeneration is the same before and after
    /// (virtio 1.x §2.5.1; Linux virtio_cread_bytes), using byte, 16- and 32-bit loads as the layout allows.
    /// </summary>
    public void ReadConfig(int offset, Span<byte> destination)
    {
        uint before, after;
        do
        {
            before = Transport.Read(MmioRegister.ConfigGeneration);
            var i = 0;
            while (i < destination.Length)
            {
                var at = (long)MmioRegister.Config + offset + i;
                var width = destination.Length - i >= 4 && at % 4 == 0 ? 4 : destination.Length - i >= 2 && at % 2 == 0 ? 2 : 1;
                var v = Transport.Read(at, width);
                for (var b = 0; b < width; b++)
                    destination[i + b] = (byte)(v >> (8 * b));
                i += width;
            }
            after = Transport.Read(MmioRegister.ConfigGeneration);
        }
        while (before != after);
    }
}
