namespace L4Re.Vio.Virtio;

/// <summary>
/// The virtio-mmio transport, version 2 register layout (virtio 1.x §4.2.2), in front of one
/// <see cref="VirtioDevice"/>. A VMM maps it at the <c>reg</c> of a <c>virtio,mmio</c> device-tree node and
/// forwards guest loads and stores with <see cref="Read(long, int)"/> / <see cref="Write(long, int, ulong)"/>; the device interrupts the
/// guest through the <see cref="IInterruptLine"/> of the node's <c>interrupts</c>.
/// </summary>
/// <remarks>
/// Access rules follow uvmm's <c>Mmio_connector</c> (kernkonzept/uvmm server/src/virtio_dev.h): accesses
/// outside the window or not naturally aligned read 0 and are ignored on write; the configuration space
/// (from 0x100) takes any width; the common registers are written only with 32-bit stores. Reading a
/// write-only register returns the value last written (uvmm keeps them in its register page).
/// Every access holds the device's <see cref="VirtioDevice.SyncRoot"/>; a queue notification is handled
/// synchronously, inside the store to <c>QueueNotify</c>.
/// </remarks>
public sealed class VirtioMmioTransport : IVirtioTransport
{
    /// <summary>The magic value "virt".</summary>
    public const uint Magic = 0x74726976;

    /// <summary>The transport version (2 = virtio 1.x, non-legacy).</summary>
    public const uint TransportVersion = 2;

    private uint _deviceFeaturesSel;
    private uint _driverFeaturesSel;
    private uint _driverFeatures;
    private uint _queueSel;
    private uint _queueNotify;
    private uint _shmSel;
    private uint _interruptStatus;
    private bool _lineHigh;

    /// <summary>Attaches a transport to <paramref name="device"/>.</summary>
    /// <param name="device">The device; it must not be attached to another transport.</param>
    /// <param name="interruptLine">The interrupt line (may be set later).</param>
    /// <exception cref="InvalidOperationException">The device already has a transport.</exception>
    public VirtioMmioTransport(VirtioDevice device, IInterruptLine? interruptLine = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (device.Transport is not null)
            throw new InvalidOperationException($"the {device.DeviceId} device is already attached to a transport");
        Device = device;
        InterruptLine = interruptLine;
        device.Transport = this;
    }

    /// <summary>The device behind the transport.</summary>
    public VirtioDevice Device { get; }

    /// <summary>The interrupt line; null drops interrupts (InterruptStatus still records them).</summary>
    public IInterruptLine? InterruptLine { get; set; }

    /// <summary>
    /// The notification path. Null (default): a store to <c>QueueNotify</c> processes the queue synchronously,
    /// inside the store. Set: the store calls this handler with the queue index instead (with the device's lock
    /// held); the VMM then calls <see cref="VirtioDevice.Notify"/> from its own loop, under <see cref="VirtioDevice.SyncRoot"/>.
    /// </summary>
    public Action<int>? QueueNotifyHandler { get; set; }

    /// <summary>
    /// The size of the register window: 0x100 bytes of common registers plus the configuration space,
    /// rounded up to 0x100. A device-tree <c>reg</c> of 0x200 (uvmm's virtio-net) covers every device here.
    /// </summary>
    public int WindowSize => (int)MmioRegister.Config + ((Device.ConfigSize + 0xff) & ~0xff);

    /// <summary>The pending interrupt events (<c>InterruptStatus</c>).</summary>
    public InterruptStatus PendingInterrupts => (InterruptStatus)_interruptStatus;

    /// <summary>Whether the interrupt line is asserted.</summary>
    public bool InterruptAsserted => _lineHigh;

    /// <summary>
    /// A guest load of <paramref name="size"/> bytes (1, 2, 4 or 8) at <paramref name="offset"/> in the window.
    /// Never throws; invalid accesses read 0.
    /// </summary>
    public ulong Read(long offset, int size)
    {
        if (!ValidAccess(offset, size))
            return 0;
        lock (Device.SyncRoot)
        {
            if (offset >= (long)MmioRegister.Config)
            {
                Span<byte> bytes = stackalloc byte[8];
                Device.ReadConfig((int)(offset - (long)MmioRegister.Config), bytes[..size]);
                return System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes);
            }
            if (size == 8)
                return ReadRegister((int)offset) | ((ulong)ReadRegister((int)offset + 4) << 32);
            var word = ReadRegister((int)(offset & ~3L));
            var shifted = word >> (int)((offset & 3) * 8);
            return size == 4 ? shifted : shifted & ((1u << (size * 8)) - 1);
        }
    }

    /// <summary>
    /// A guest store of <paramref name="size"/> bytes (1, 2, 4 or 8) of <paramref name="value"/> at
    /// <paramref name="offset"/>. Never throws; invalid accesses are ignored.
    /// </summary>
    public void Write(long offset, int size, ulong value)
    {
        if (!ValidAccess(offset, size))
            return;
        lock (Device.SyncRoot)
        {
            if (offset >= (long)MmioRegister.Config)
            {
                Span<byte> bytes = stackalloc byte[8];
                System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
                Device.WriteConfig((int)(offset - (long)MmioRegister.Config), bytes[..size]);
                return;
            }
            // uvmm: only 32-bit stores reach the common registers.
            if (size != 4)
                return;
            WriteRegister((MmioRegister)offset, (uint)value);
        }
    }

    private bool ValidAccess(long offset, int size) =>
        size is 1 or 2 or 4 or 8 && offset >= 0 && offset <= WindowSize - size && (offset & (size - 1)) == 0;

    private Virtqueue? SelectedQueue =>
        _queueSel < (uint)Device.Queues.Count ? Device.Queues[(int)_queueSel] : null;

    private uint ReadRegister(int offset)
    {
        var q = SelectedQueue;
        return (MmioRegister)offset switch
        {
            MmioRegister.MagicValue => Magic,
            MmioRegister.Version => TransportVersion,
            MmioRegister.DeviceId => (uint)Device.DeviceId,
            MmioRegister.VendorId => Device.VendorId,
            MmioRegister.DeviceFeatures => Device.ReadDeviceFeatures(_deviceFeaturesSel),
            MmioRegister.DeviceFeaturesSel => _deviceFeaturesSel,
            MmioRegister.DriverFeatures => _driverFeatures,
            MmioRegister.DriverFeaturesSel => _driverFeaturesSel,
            MmioRegister.QueueSel => _queueSel,
            MmioRegister.QueueNumMax => q is null ? 0u : (uint)q.NumMax,
            MmioRegister.QueueNum => q?.Num ?? 0,
            MmioRegister.QueueReady => q is { IsReady: true } ? 1u : 0u,
            MmioRegister.QueueNotify => _queueNotify,
            MmioRegister.InterruptStatus => _interruptStatus,
            MmioRegister.Status => (uint)Device.Status,
            MmioRegister.QueueDescLow => (uint)(q?.DescriptorArea ?? 0),
            MmioRegister.QueueDescHigh => (uint)((q?.DescriptorArea ?? 0) >> 32),
            MmioRegister.QueueDriverLow => (uint)(q?.DriverArea ?? 0),
            MmioRegister.QueueDriverHigh => (uint)((q?.DriverArea ?? 0) >> 32),
            MmioRegister.QueueDeviceLow => (uint)(q?.DeviceArea ?? 0),
            MmioRegister.QueueDeviceHigh => (uint)((q?.DeviceArea ?? 0) >> 32),
            MmioRegister.ShmSel => _shmSel,
            // No shared memory regions: length and base read as -1 (virtio 1.x §4.2.2).
            MmioRegister.ShmLenLow or MmioRegister.ShmLenHigh or MmioRegister.ShmBaseLow or MmioRegister.ShmBaseHigh => uint.MaxValue,
            MmioRegister.ConfigGeneration => Device.ConfigGeneration,
            _ => 0,
        };
    }

    private void WriteRegister(MmioRegister register, uint value)
    {
        var q = SelectedQueue;
        switch (register)
        {
            case MmioRegister.DeviceFeaturesSel:
                _deviceFeaturesSel = value;
                break;
            case MmioRegister.DriverFeatures:
                _driverFeatures = value;
                Device.WriteDriverFeatures(_driverFeaturesSel, value);
                break;
            case MmioRegister.DriverFeaturesSel:
                _driverFeaturesSel = value;
                break;
            case MmioRegister.QueueSel:
                _queueSel = value;
                break;
            case MmioRegister.QueueNum when q is not null:
                q.Num = value;
                break;
            case MmioRegister.QueueReady when q is not null:
                Device.SetQueueReady(q.Index, value != 0);
                break;
            case MmioRegister.QueueNotify:
                _queueNotify = value;
                if (QueueNotifyHandler is { } handler)
                    handler((int)Math.Min(value, int.MaxValue));
                else
                    Device.Notify((int)Math.Min(value, int.MaxValue));
                break;
            case MmioRegister.InterruptAck:
                _interruptStatus &= ~value;
                UpdateLine();
                break;
            case MmioRegister.Status:
                Device.WriteStatus((byte)value);
                break;
            case MmioRegister.QueueDescLow when q is not null:
                q.DescriptorArea = (q.DescriptorArea & 0xffff_ffff_0000_0000UL) | value;
                break;
            case MmioRegister.QueueDescHigh when q is not null:
                q.DescriptorArea = (q.DescriptorArea & 0xffff_ffffUL) | ((ulong)value << 32);
                break;
            case MmioRegister.QueueDriverLow when q is not null:
                q.DriverArea = (q.DriverArea & 0xffff_ffff_0000_0000UL) | value;
                break;
            case MmioRegister.QueueDriverHigh when q is not null:
                q.DriverArea = (q.DriverArea & 0xffff_ffffUL) | ((ulong)value << 32);
                break;
            case MmioRegister.QueueDeviceLow when q is not null:
                q.DeviceArea = (q.DeviceArea & 0xffff_ffff_0000_0000UL) | value;
                break;
            case MmioRegister.QueueDeviceHigh when q is not null:
                q.DeviceArea = (q.DeviceArea & 0xffff_ffffUL) | ((ulong)value << 32);
                break;
            case MmioRegister.ShmSel:
                _shmSel = value;
                break;
            default:
                // Read-only registers, QueueReset without VIRTIO_F_RING_RESET, unknown offsets: ignored.
                break;
        }
    }

    /// <inheritdoc />
    public void Interrupt(InterruptStatus events)
    {
        _interruptStatus |= (uint)events;
        UpdateLine();
    }

    /// <inheritdoc />
    public void ClearInterrupts()
    {
        _interruptStatus = 0;
        _driverFeatures = 0;
        UpdateLine();
    }

    private void UpdateLine()
    {
        var high = _interruptStatus != 0;
        if (high == _lineHigh)
            return;
        _lineHigh = high;
        if (high)
            InterruptLine?.Raise();
        else
            InterruptLine?.Lower();
    }

    /// <summary>A 32-bit guest load of register <paramref name="register"/>.</summary>
    public uint Read(MmioRegister register) => (uint)Read((long)register, 4);

    /// <summary>A 32-bit guest store of <paramref name="value"/> to register <paramref name="register"/>.</summary>
    public void Write(MmioRegister register, uint value) => Write((long)register, 4, value);
}
