using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using L4Re.Vio.Memory;

namespace L4Re.Vio.Virtio;

/// <summary>
/// The transport-independent part of a virtio 1.x device (l4virtio's <c>L4virtio::Svr::Device</c>): feature
/// negotiation, the device status state machine, virtqueues, the configuration space with its generation
/// counter, reset and DEVICE_NEEDS_RESET. Concrete devices (net, console, block) override the hooks.
/// </summary>
/// <remarks>
/// A device is single-threaded: every entry point (transport register access, the switch, host pumps)
/// holds <see cref="SyncRoot"/>. Guest input never makes a device throw: a bad request puts the device
/// into DEVICE_NEEDS_RESET and sends a configuration change notification (virtio 1.x §2.1.2).
/// </remarks>
public abstract partial class VirtioDevice
{
    /// <summary>The vendor ID the device reports: Kernkonzept's l4virtio vendor (<c>L4VIRTIO_VENDOR_KK</c> = 0x44).</summary>
    public const uint KernkonzeptVendorId = 0x44;

    private const DeviceStatus FailState = DeviceStatus.DeviceNeedsReset | DeviceStatus.Failed;

    private readonly Virtqueue[] _queues;
    private readonly byte[] _config;
    private ulong _driverFeatures;
    private int _batchDepth;
    private ulong _pendingUsed;

    /// <summary>Creates a device.</summary>
    /// <param name="deviceId">The virtio device ID.</param>
    /// <param name="memory">The driver memory the device may access.</param>
    /// <param name="queueCount">The number of virtqueues (1..64).</param>
    /// <param name="queueNumMax">The largest queue size (a power of two, 1..32768).</param>
    /// <param name="configSize">The size of the device-specific configuration space in bytes (0..0xf00).</param>
    /// <param name="logger">Where device errors are logged.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    protected VirtioDevice(VirtioDeviceId deviceId, DriverMemoryList memory, int queueCount, int queueNumMax, int configSize, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(memory);
        ArgumentOutOfRangeException.ThrowIfLessThan(queueCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(queueCount, 64);
        if (!VirtqueueLayout.IsValidSize(queueNumMax))
            throw new ArgumentOutOfRangeException(nameof(queueNumMax), queueNumMax, "the queue size must be a power of two in 1..32768");
        ArgumentOutOfRangeException.ThrowIfNegative(configSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(configSize, 0xf00);
        DeviceId = deviceId;
        Memory = memory;
        Logger = logger ?? NullLogger.Instance;
        _queues = new Virtqueue[queueCount];
        for (var i = 0; i < queueCount; i++)
            _queues[i] = new Virtqueue(this, i, queueNumMax);
        _config = new byte[configSize];
        DeviceFeatures = VirtioFeatures.Version1;
    }

    /// <summary>The virtio device ID.</summary>
    public VirtioDeviceId DeviceId { get; }

    /// <summary>The vendor ID (default <see cref="KernkonzeptVendorId"/>).</summary>
    public uint VendorId { get; init; } = KernkonzeptVendorId;

    /// <summary>The driver memory the device translates descriptor addresses through.</summary>
    public DriverMemoryList Memory { get; }

    /// <summary>The lock that serializes every access to the device (a switch port shares the switch's lock).</summary>
    public Lock SyncRoot { get; internal set; } = new();

    /// <summary>The device's logger.</summary>
    protected ILogger Logger { get; }

    /// <summary>The transport the device is attached to (null while detached: notifications go nowhere).</summary>
    public IVirtioTransport? Transport { get; internal set; }

    /// <summary>The features the device offers (always includes VIRTIO_F_VERSION_1).</summary>
    public ulong DeviceFeatures { get; protected set; }

    /// <summary>The features the driver wrote (may include bits the device did not offer until FEATURES_OK is checked).</summary>
    public ulong DriverFeatures => _driverFeatures;

    /// <summary>The negotiated features, fixed when the device accepted FEATURES_OK; 0 before.</summary>
    public ulong NegotiatedFeatures { get; private set; }

    /// <summary>The device status register.</summary>
    public DeviceStatus Status { get; private set; }

    /// <summary>The configuration generation counter (<c>ConfigGeneration</c>).</summary>
    public uint ConfigGeneration { get; private set; }

    /// <summary>The size of the device-specific configuration space.</summary>
    public int ConfigSize => _config.Length;

    /// <summary>The device-specific configuration space as the driver sees it.</summary>
    public ReadOnlySpan<byte> ConfigSpace => _config;

    /// <summary>The device's virtqueues.</summary>
    public IReadOnlyList<Virtqueue> Queues => _queues;

    /// <summary>Queue <paramref name="index"/> (an array access, for hot paths).</summary>
    protected Virtqueue Queue(int index) => _queues[index];

    /// <summary>Whether the driver set DRIVER_OK and neither DEVICE_NEEDS_RESET nor FAILED is set.</summary>
    public bool IsRunning => (Status & (DeviceStatus.DriverOk | FailState)) == DeviceStatus.DriverOk;

    /// <summary>How many times the device entered DEVICE_NEEDS_RESET because of bad driver input.</summary>
    public long DeviceErrorCount { get; private set; }

    /// <summary>Why the device last entered DEVICE_NEEDS_RESET (null if it never did).</summary>
    public string? LastDeviceError { get; private set; }

    /// <summary>The configuration space, for the device to update (call <see cref="NotifyConfigChanged"/> afterwards).</summary>
    protected Span<byte> Config => _config;

    /// <summary>Reads 32 device feature bits, word <paramref name="select"/> (0 = bits 0–31, 1 = bits 32–63, higher = 0).</summary>
    public uint ReadDeviceFeatures(uint select) => select switch
    {
        0 => (uint)DeviceFeatures,
        1 => (uint)(DeviceFeatures >> 32),
        _ => 0,
    };

    /// <summary>Writes 32 driver feature bits, word <paramref name="select"/> (higher words are ignored).</summary>
    public void WriteDriverFeatures(uint select, uint value)
    {
        if (select == 0)
            _driverFeatures = (_driverFeatures & 0xffff_ffff_0000_0000UL) | value;
        else if (select == 1)
            _driverFeatures = (_driverFeatures & 0xffff_ffffUL) | ((ulong)value << 32);
    }

    /// <summary>
    /// Writes the status register: the state machine of l4virtio's <c>check_and_update_status</c>.
    /// 0 resets the device. Once FAILED or DEVICE_NEEDS_RESET is set only those bits can be added.
    /// Bits set out of order (DRIVER without ACKNOWLEDGE, FEATURES_OK without DRIVER, DRIVER_OK without
    /// FEATURES_OK) set DEVICE_NEEDS_RESET. FEATURES_OK is refused (left clear) unless the driver accepted
    /// VIRTIO_F_VERSION_1 and only offered features that the device accepts. DRIVER_OK with queues that
    /// are not ready sets DEVICE_NEEDS_RESET.
    /// </summary>
    public void WriteStatus(byte value)
    {
        var requested = (DeviceStatus)value;
        if (requested == DeviceStatus.None)
        {
            Reset();
            return;
        }
        var current = Status;
        if ((current & FailState) != 0 || (requested & FailState) != 0)
        {
            Status = current | (requested & FailState);
            return;
        }
        bool Has(DeviceStatus s, DeviceStatus bit) => (s & bit) != 0;
        if ((Has(requested, DeviceStatus.Driver) && !Has(requested, DeviceStatus.Acknowledge))
            || (Has(requested, DeviceStatus.FeaturesOk) && !Has(requested, DeviceStatus.Driver))
            || (Has(requested, DeviceStatus.DriverOk) && !Has(requested, DeviceStatus.FeaturesOk)))
        {
            DeviceError($"status 0x{value:x2} sets bits out of order (current 0x{(byte)current:x2})");
            return;
        }
        if (Has(requested, DeviceStatus.FeaturesOk) && !Has(current, DeviceStatus.FeaturesOk))
        {
            if (!TryAcceptFeatures())
            {
                requested &= ~DeviceStatus.FeaturesOk;
                if (Has(requested, DeviceStatus.DriverOk))
                {
                    DeviceError("DRIVER_OK with features the device refused");
                    return;
                }
            }
        }
        if (Has(requested, DeviceStatus.DriverOk) && !Has(current, DeviceStatus.DriverOk))
        {
            if (!CheckQueues())
            {
                DeviceError("DRIVER_OK while a required queue is not ready");
                return;
            }
            Status = requested;
            OnDriverOk();
            return;
        }
        Status = requested;
    }

    private bool TryAcceptFeatures()
    {
        var features = _driverFeatures;
        // virtio 1.x §6.1/6.2 and l4virtio check_features_internal: VERSION_1 is mandatory on this
        // (non-legacy) interface; the driver must not accept a feature the device did not offer.
        if ((features & VirtioFeatures.Version1) == 0 || (features & ~DeviceFeatures) != 0 || !AcceptFeatures(features))
        {
            LogFeaturesRefused(Logger, DeviceId, features, DeviceFeatures);
            return false;
        }
        NegotiatedFeatures = features;
        return true;
    }

    /// <summary>
    /// Resets the device (status 0 written): device-specific state, all queues and their registers,
    /// features, interrupt status; increments the configuration generation (as l4virtio's <c>reset_hdr(true)</c>).
    /// </summary>
    public void Reset()
    {
        foreach (var q in _queues)
            q.ResetConfig();
        _driverFeatures = 0;
        NegotiatedFeatures = 0;
        Status = DeviceStatus.None;
        _pendingUsed = 0;
        OnReset();
        ConfigGeneration++;
        Transport?.ClearInterrupts();
    }

    /// <summary>
    /// The device met bad driver input it cannot recover from (l4virtio's <c>device_error</c>): its queues
    /// stop, DEVICE_NEEDS_RESET is set and, if the driver had set DRIVER_OK, a configuration change
    /// notification tells the driver. Nothing more happens until the driver resets the device.
    /// </summary>
    public void DeviceError(string reason)
    {
        DeviceErrorCount++;
        LastDeviceError = reason;
        LogDeviceError(Logger, DeviceId, reason);
        foreach (var q in _queues)
            q.Disable();
        _pendingUsed = 0;
        OnDeviceError();
        var wasRunning = (Status & DeviceStatus.DriverOk) != 0;
        Status |= DeviceStatus.DeviceNeedsReset;
        // The device must not notify the driver before DRIVER_OK (l4virtio device_error, virtio 1.x §2.1.2).
        if (wasRunning)
            Transport?.Interrupt(InterruptStatus.ConfigChange);
    }

    /// <summary>Reports a virtqueue error on <paramref name="queue"/> as a device error.</summary>
    protected void DeviceError(Virtqueue queue, VirtqueueError error) =>
        DeviceError($"queue {queue.Index}: {error}");

    /// <summary>Enables or disables queue <paramref name="index"/> (the <c>QueueReady</c> register).</summary>
    /// <returns>Whether the queue is ready afterwards.</returns>
    public bool SetQueueReady(int index, bool ready)
    {
        if ((uint)index >= (uint)_queues.Length)
            return false;
        var q = _queues[index];
        if (!ready)
        {
            q.Disable();
            return false;
        }
        // l4virtio op_config_queue: queues are configured after ACKNOWLEDGE and DRIVER, not in a failed
        // state; virtio 1.x §3.1.1 puts queue setup after FEATURES_OK, when the ring features are known.
        var s = Status;
        if ((s & FailState) != 0 || (s & DeviceStatus.FeaturesOk) == 0)
        {
            LogQueueRefused(Logger, DeviceId, index, $"status 0x{(byte)s:x2} does not allow queue setup");
            q.Disable();
            return false;
        }
        var why = q.Enable(NegotiatedFeatures);
        if (why is not null)
        {
            LogQueueRefused(Logger, DeviceId, index, why);
            return false;
        }
        return true;
    }

    /// <summary>
    /// A queue notification from the driver (<c>QueueNotify</c>). Ignored for unknown or disabled queues and
    /// before DRIVER_OK (the device must not consume buffers before DRIVER_OK, virtio 1.x §3.1.2).
    /// </summary>
    public void Notify(int queueIndex)
    {
        if ((uint)queueIndex >= (uint)_queues.Length || !IsRunning)
            return;
        var q = _queues[queueIndex];
        if (q.IsReady)
            OnQueueNotify(q);
    }

    /// <summary>Reads configuration bytes at <paramref name="offset"/>; bytes beyond the space read as 0.</summary>
    public void ReadConfig(int offset, Span<byte> destination)
    {
        destination.Clear();
        if (offset < 0 || offset >= _config.Length)
            return;
        var n = Math.Min(destination.Length, _config.Length - offset);
        _config.AsSpan(offset, n).CopyTo(destination);
    }

    /// <summary>A driver write to the configuration space; the device decides which fields are writable.</summary>
    public void WriteConfig(int offset, ReadOnlySpan<byte> source)
    {
        if (offset < 0 || offset >= _config.Length || source.IsEmpty)
            return;
        OnConfigWrite(offset, source[..Math.Min(source.Length, _config.Length - offset)]);
    }

    /// <summary>
    /// The device changed its configuration space: increments the generation counter and, once the driver
    /// is running, sends a configuration change notification.
    /// </summary>
    protected void NotifyConfigChanged()
    {
        ConfigGeneration++;
        if (IsRunning)
            Transport?.Interrupt(InterruptStatus.ConfigChange);
    }

    /// <summary>
    /// The device used buffers of <paramref name="queue"/>: sends a used buffer notification unless the driver
    /// suppressed it, or — inside <see cref="BeginInterruptBatch"/> / <see cref="EndInterruptBatch"/> — remembers it.
    /// </summary>
    public void SignalUsed(Virtqueue queue)
    {
        if (_batchDepth > 0)
        {
            _pendingUsed |= 1UL << queue.Index;
            return;
        }
        if (IsRunning && queue.NeedsInterrupt())
            Transport?.Interrupt(InterruptStatus.UsedBuffer);
    }

    /// <summary>Defers used buffer notifications (the switch's <c>kick_disable_and_remember</c>).</summary>
    public void BeginInterruptBatch() => _batchDepth++;

    /// <summary>Ends a batch and sends at most one notification for all queues used meanwhile (<c>kick_emit_and_enable</c>).</summary>
    public void EndInterruptBatch()
    {
        if (_batchDepth == 0 || --_batchDepth > 0)
            return;
        var pending = _pendingUsed;
        _pendingUsed = 0;
        if (pending == 0 || !IsRunning)
            return;
        var raise = false;
        while (pending != 0)
        {
            var i = System.Numerics.BitOperations.TrailingZeroCount(pending);
            pending &= pending - 1;
            raise |= _queues[i].NeedsInterrupt();
        }
        if (raise)
            Transport?.Interrupt(InterruptStatus.UsedBuffer);
    }

    /// <summary>
    /// Processes every available chain of <paramref name="queue"/> with <see cref="HandleChain"/>, with
    /// driver notifications suppressed meanwhile and re-checked afterwards (the loop of l4vio_switch's
    /// <c>handle_l4virtio_port_tx</c>), then sends at most one used buffer notification.
    /// </summary>
    protected void ProcessAvailable(Virtqueue queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        do
        {
            queue.DisableDriverNotifications();
            while (true)
            {
                var error = queue.TryPop(out var chain);
                if (error != VirtqueueError.None)
                {
                    DeviceError(queue, error);
                    return;
                }
                if (!chain.IsValid)
                    break;
                if (!HandleChain(queue, chain))
                {
                    if (queue.IsReady)
                        SignalUsed(queue);
                    return;
                }
            }
            SignalUsed(queue);
        }
        while (queue.EnableDriverNotifications());
    }

    /// <summary>
    /// Handles one chain taken by <see cref="ProcessAvailable"/>. Returns false to stop processing the queue
    /// (after a device error, or to apply back-pressure — then the handler rewinds the chain).
    /// </summary>
    protected virtual bool HandleChain(Virtqueue queue, DescriptorChain chain)
    {
        ArgumentNullException.ThrowIfNull(queue);
        queue.Push(chain.Head, 0);
        return true;
    }

    /// <summary>The driver notified <paramref name="queue"/> (the device is running and the queue ready).</summary>
    protected abstract void OnQueueNotify(Virtqueue queue);

    /// <summary>Device-specific reset (queues and features are reset by the base class).</summary>
    protected virtual void OnReset()
    {
    }

    /// <summary>Device-specific reaction to a device error (queues are already stopped).</summary>
    protected virtual void OnDeviceError()
    {
    }

    /// <summary>Whether the device accepts the driver's feature set (VERSION_1 and the subset rule are already checked).</summary>
    protected virtual bool AcceptFeatures(ulong features) => true;

    /// <summary>Whether the queues are ready for DRIVER_OK (default: all of them, as l4virtio's virtio-net <c>check_queues</c>).</summary>
    protected virtual bool CheckQueues()
    {
        foreach (var q in _queues)
        {
            if (!q.IsReady)
                return false;
        }
        return true;
    }

    /// <summary>The driver set DRIVER_OK: by default processes buffers made available before it (notifications before DRIVER_OK were ignored).</summary>
    protected virtual void OnDriverOk()
    {
        foreach (var q in _queues)
        {
            if (q.IsReady && IsRunning)
                OnQueueNotify(q);
        }
    }

    /// <summary>A driver write of <paramref name="data"/> at configuration offset <paramref name="offset"/>; default: read-only space, ignored.</summary>
    protected virtual void OnConfigWrite(int offset, ReadOnlySpan<byte> data)
    {
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "virtio {Device}: device error, DEVICE_NEEDS_RESET: {Reason}")]
    private static partial void LogDeviceError(ILogger logger, VirtioDeviceId device, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "virtio {Device}: FEATURES_OK refused, driver features 0x{Driver:x} device features 0x{Offered:x}")]
    private static partial void LogFeaturesRefused(ILogger logger, VirtioDeviceId device, ulong driver, ulong offered);

    [LoggerMessage(Level = LogLevel.Warning, Message = "virtio {Device}: queue {Queue} not enabled: {Reason}")]
    private static partial void LogQueueRefused(ILogger logger, VirtioDeviceId device, int queue, string reason);
}
