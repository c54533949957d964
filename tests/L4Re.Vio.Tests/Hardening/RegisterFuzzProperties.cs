using FsCheck;
using FsCheck.Fluent;
using L4Re.Vio.Devices.Block;
using L4Re.Vio.Tests.Support;
using L4Re.Vio.Virtio;

namespace L4Re.Vio.Tests.Hardening;

/// <summary>
/// Random register traffic — any offset, width and value, in any order: features, status bits out of order,
/// queue setup with arbitrary sizes and addresses, notifications before setup, interrupt acks, resets. The
/// host never throws and the transport's invariants hold after every access.
/// </summary>
public class RegisterFuzzProperties
{
    private static readonly long[] Registers = Enum.GetValues<MmioRegister>().Select(r => (long)r).ToArray();

    private static Arbitrary<int> Seeds => Gen.Choose(0, int.MaxValue).ToArbitrary();

    private readonly GuestRam _ram = new(HostileRing.RamPages);
    private readonly VirtioBlockDevice _device;
    private readonly RecordingLine _line = new();
    private readonly VirtioMmioTransport _transport;

    public RegisterFuzzProperties()
    {
        _device = new VirtioBlockDevice(new MemoryBlockBackend(16 * 512), _ram.Memory, new VirtioBlockOptions { QueueSize = 16 });
        _transport = new VirtioMmioTransport(_device, _line);
    }

    private static ulong Value(Random r, long offset) => (MmioRegister)offset switch
    {
        MmioRegister.Status => (ulong)(r.Next(4) == 0 ? r.Next(256) : r.Next(16)),
        MmioRegister.QueueNum => (ulong)(r.Next(3) == 0 ? r.Next() : 1 << r.Next(0, 6)),
        MmioRegister.QueueDescLow or MmioRegister.QueueDriverLow or MmioRegister.QueueDeviceLow =>
            r.Next(3) == 0 ? (ulong)r.Next() : (ulong)(GuestRam.Base + (ulong)r.Next(0, HostileRing.RamPages * 4096)) & ~(ulong)r.Next(0, 16),
        MmioRegister.QueueDescHigh or MmioRegister.QueueDriverHigh or MmioRegister.QueueDeviceHigh => r.Next(4) == 0 ? (ulong)r.Next() : 0,
        MmioRegister.QueueSel or MmioRegister.QueueNotify => (ulong)(r.Next(4) == 0 ? r.Next() : r.Next(2)),
        MmioRegister.DriverFeatures => r.Next(2) == 0 ? _deviceFeaturesLow : (ulong)r.Next(),
        MmioRegister.DriverFeaturesSel or MmioRegister.DeviceFeaturesSel => (ulong)r.Next(3),
        _ => (ulong)r.NextInt64(),
    };

    // A plausible low feature word: everything the block device offers below bit 32.
    private static readonly ulong _deviceFeaturesLow = 0x3000_0244;

    private bool Invariants()
    {
        if (_transport.InterruptAsserted != (_transport.PendingInterrupts != InterruptStatus.None) || _line.Level != _transport.InterruptAsserted)
            return false;
        var status = _device.Status;
        var failed = (status & (DeviceStatus.DeviceNeedsReset | DeviceStatus.Failed)) != 0;
        if ((status & DeviceStatus.FeaturesOk) != 0 && !failed
            && ((_device.NegotiatedFeatures & VirtioFeatures.Version1) == 0 || (_device.NegotiatedFeatures & ~_device.DeviceFeatures) != 0))
            return false;
        if (_device.IsRunning && ((status & DeviceStatus.FeaturesOk) == 0 || _device.Queues.Any(q => !q.IsReady)))
            return false;
        foreach (var q in _device.Queues)
        {
            if (q.IsReady && (!VirtqueueLayout.IsValidSize(q.Size) || q.Size > q.NumMax || q.DescriptorArea % 16 != 0 || q.DriverArea % 2 != 0 || q.DeviceArea % 4 != 0))
                return false;
        }
        return true;
    }

    [FsCheck.NUnit.Property(MaxTest = 15_000, Replay = "5551212,8675309", QuietOnSuccess = true)]
    public Property Any_register_traffic_keeps_the_transport_consistent() => Prop.ForAll(Seeds, seed =>
    {
        var r = new Random(seed);
        if (r.Next(4) == 0)
            _transport.Write(MmioRegister.Status, 0);
        var steps = r.Next(1, 40);
        for (var i = 0; i < steps; i++)
        {
            var offset = r.Next(8) == 0 ? r.Next(-8, 0x300) : Registers[r.Next(Registers.Length)];
            var width = r.Next(6) == 0 ? new[] { 1, 2, 3, 8 }[r.Next(4)] : 4;
            if (r.Next(3) == 0)
                _ = _transport.Read(offset, width);
            else
                _transport.Write(offset, width, Value(r, offset));
            if (!Invariants())
                return false;
        }
        return true;
    });
}
