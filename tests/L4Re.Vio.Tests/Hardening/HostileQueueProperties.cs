using FsCheck;
using FsCheck.Fluent;
using L4Re.Vio.Devices.Block;
using L4Re.Vio.Devices.Console;
using L4Re.Vio.Devices.Net;
using L4Re.Vio.Driver;
using L4Re.Vio.Switch;
using L4Re.Vio.Tests.Support;
using L4Re.Vio.Virtio;

namespace L4Re.Vio.Tests.Hardening;

/// <summary>
/// Hostile virtqueues against every device (FsCheck, ≥ 10^5 cases per run together with
/// <see cref="RegisterFuzzProperties"/>): the host never throws; the device either processes the requests
/// or enters DEVICE_NEEDS_RESET and tells the driver with a configuration change interrupt; no byte outside
/// the buffers the driver published (and the used ring) is written, and no translation leaves them.
/// </summary>
public class HostileQueueProperties
{
    private const int QueueSize = 16;

    private static Arbitrary<int> Seeds => Gen.Choose(0, int.MaxValue).ToArbitrary();

    /// <summary>One device with fixed ring locations, reset and reinitialized for every case.</summary>
    private sealed class Target
    {
        private readonly AccessLog _log = new();
        private readonly byte[] _before;
        private VirtqueueDriver? _current;
        private int _currentQueue;

        public Target(GuestRam ram, VirtioDevice device, VirtioMmioTransport transport)
        {
            Ram = ram;
            Device = device;
            Transport = transport;
            Mmio = new VirtioMmioDriver(transport, ram.Memory, ram.Allocator);
            _before = new byte[ram.Dataspace.Size];
        }

        public GuestRam Ram { get; }

        public VirtioDevice Device { get; }

        public VirtioMmioTransport Transport { get; }

        public VirtioMmioDriver Mmio { get; }

        /// <summary>The device's other queue (well-behaved and empty) after <see cref="Start"/>.</summary>
        public VirtqueueDriver? Other { get; private set; }

        /// <summary>Resets, negotiates random ring features, sets every queue up (queue <paramref name="hostile"/> at the fixed hostile layout).</summary>
        public VirtqueueDriver Start(Random r, int hostile, ulong extra = 0)
        {
            // Half the time a device that survived the previous case carries on: its ring indices keep
            // growing across cases and wrap around (16-bit) during the run.
            if (_current is not null && _currentQueue == hostile && Device.IsRunning
                && _current.ReadUsedIndex() == _current.AvailIndex && r.Next(2) == 0)
            {
                Ram.Dataspace.Span[(int)(HostileRing.IndirectArea - GuestRam.Base)..].Fill(0xa5);
                return _current;
            }
            var features = (r.Next(2) == 0 ? VirtioFeatures.EventIdx : 0) | (r.Next(4) != 0 ? VirtioFeatures.IndirectDesc : 0) | extra;
            Ram.Dataspace.Span.Fill(0xa5);
            Mmio.Initialize(features);
            VirtqueueDriver? result = null;
            Other = null;
            for (var i = 0; i < Device.Queues.Count; i++)
            {
                var q = i == hostile
                    ? new VirtqueueDriver(Ram.Memory, QueueSize, GuestRam.Base, GuestRam.Base + 0x400, GuestRam.Base + 0x800, Mmio.Features)
                    : new VirtqueueDriver(Ram.Memory, QueueSize, HostileRing.OtherQueue, HostileRing.OtherQueue + 0x400, HostileRing.OtherQueue + 0x800, Mmio.Features);
                if (!Mmio.SetupQueue(i, q))
                    throw new InvalidOperationException("queue setup failed");
                if (i == hostile)
                    result = q;
                else
                    Other = q;
            }
            Mmio.DriverOk();
            _current = result;
            _currentQueue = hostile;
            return result!;
        }

        /// <summary>Writes a hostile ring into <paramref name="queue"/>.</summary>
        public HostileRing Hostile(Random r, VirtqueueDriver queue, bool writableBuffersExpected, Func<Random, DriverBuffer[]>? request = null)
        {
            var ring = new HostileRing(r, queue, Ram, writableBuffersExpected, request);
            if (Other is not null)
                ring.AllowRings(Other);
            return ring;
        }

        /// <summary>Runs <paramref name="act"/> and checks the hardening invariants against <paramref name="ring"/>.</summary>
        public bool Check(HostileRing ring, Action act, Func<bool> processedCorrectly)
        {
            var before = _before.AsSpan();
            Ram.Dataspace.Span.CopyTo(before);
            _log.Entries.Clear();
            Ram.Memory.Observer = _log;
            try
            {
                act();
            }
            finally
            {
                Ram.Memory.Observer = null;
            }
            ReadOnlySpan<byte> after = Ram.Dataspace.Span;
            var offset = 0;
            while (true)
            {
                var same = before[offset..].CommonPrefixLength(after[offset..]);
                offset += same;
                if (offset >= before.Length)
                    break;
                if (!ring.MayChange(GuestRam.Base + (ulong)offset))
                    throw new InvalidOperationException($"byte at {GuestRam.Base + (ulong)offset:x} changed outside the published writable buffers");
                offset++;
            }
            foreach (var (address, length, write) in _log.Entries)
            {
                if (!ring.Allowed(address, length, write))
                    throw new InvalidOperationException($"translation [{address:x}+{length}] ({(write ? "write" : "read")}) outside the published buffers");
            }
            if (Device.IsRunning)
                return ring.Published <= QueueSize && processedCorrectly();
            if (ring.AllWellFormed)
                throw new InvalidOperationException($"well-formed requests put the device into DEVICE_NEEDS_RESET: {Device.LastDeviceError}");
            var told = (Transport.PendingInterrupts & InterruptStatus.ConfigChange) != 0 && Transport.InterruptAsserted;
            return (Device.Status & DeviceStatus.DeviceNeedsReset) != 0 && told;
        }
    }

    private DriverBuffer[] BlockRequest(Random r)
    {
        var ram = _block.Ram;
        var type = r.Next(6) switch
        {
            0 => BlockRequestType.Out,
            1 => BlockRequestType.Flush,
            2 => BlockRequestType.GetId,
            3 => (BlockRequestType)r.Next(),
            _ => BlockRequestType.In,
        };
        var header = HostileRing.PoolAddress(r, 16);
        var h = ram.At(header, 16);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(h, (uint)type);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(h[8..], (ulong)r.Next(0, 40));
        var length = r.Next(4) == 0 ? r.Next(1, 1500) : 512 * r.Next(0, 3);
        var data = HostileRing.PoolAddress(r, Math.Max(length, 1));
        var status = HostileRing.PoolAddress(r, 1);
        var write = type != BlockRequestType.Out;
        return length == 0 || type == BlockRequestType.Flush
            ? [new(header, 16), new(status, 1, true)]
            : [new(header, 16), new(data, (uint)length, write), new(status, 1, true)];
    }

    private static DriverBuffer[] Packet(Random r, GuestRam ram)
    {
        var length = NetHeader.Size + r.Next(1, 1514);
        var address = HostileRing.PoolAddress(r, length);
        var bytes = ram.At(address, length);
        bytes[..NetHeader.Size].Clear();
        if (r.Next(2) == 0 || length < NetHeader.Size + 2)
            return [new(address, (uint)length)];
        var split = r.Next(1, length);
        return [new(address, (uint)split), new(address + (ulong)split, (uint)(length - split))];
    }

    private static DriverBuffer[] Buffers(Random r, bool writable)
    {
        var n = r.Next(1, 3);
        var result = new DriverBuffer[n];
        for (var i = 0; i < n; i++)
        {
            var length = r.Next(1, 2048);
            result[i] = new DriverBuffer(HostileRing.PoolAddress(r, length), (uint)length, writable);
        }
        return result;
    }

    private static bool AllConsumed(HostileRing ring) => ring.Queue.ReadUsedIndex() == ring.Queue.AvailIndex;

    private static void Notify(VirtioMmioTransport transport, Random r, int queue)
    {
        var n = r.Next(1, 4);
        for (var i = 0; i < n; i++)
            transport.Write(MmioRegister.QueueNotify, r.Next(8) == 0 ? (uint)r.Next() : (uint)queue);
        transport.Write(MmioRegister.QueueNotify, (uint)queue);
    }

    private readonly Target _block;
    private readonly MemoryBlockBackend _disk = new(32 * 512);
    private readonly VirtualSwitch _switch;
    private readonly Target _netTx;
    private readonly GuestNic _peer;
    private readonly Target _netRx;
    private readonly GuestNic _sender;

    public HostileQueueProperties()
    {
        var ram = new GuestRam(HostileRing.RamPages);
        var block = new VirtioBlockDevice(_disk, ram.Memory, new VirtioBlockOptions { QueueSize = QueueSize });
        _block = new Target(ram, block, new VirtioMmioTransport(block, new RecordingLine()));

        _switch = new VirtualSwitch(new SwitchOptions { QueueSize = QueueSize });
        ram = new GuestRam(HostileRing.RamPages);
        var tx = _switch.CreatePort(new PortOptions { Name = "hostile-tx" }, ram.Memory);
        _netTx = new Target(ram, tx.Device, new VirtioMmioTransport(tx.Device, new RecordingLine()));
        ram = new GuestRam(HostileRing.RamPages);
        var rx = _switch.CreatePort(new PortOptions { Name = "hostile-rx" }, ram.Memory);
        _netRx = new Target(ram, rx.Device, new VirtioMmioTransport(rx.Device, new RecordingLine()));
        _peer = new GuestNic(_switch, ["name=peer"], pages: 64);
        _sender = new GuestNic(_switch, ["name=sender"], pages: 64);
    }

    [FsCheck.NUnit.Property(MaxTest = 25_000, Replay = "20240611,424243", QuietOnSuccess = false)]
    public Property Block_device_survives_hostile_request_queues() => Prop.ForAll(Seeds, seed =>
    {
        var r = new Random(seed);
        var queue = _block.Start(r, 0, BlockFeatures.Flush);
        var ring = _block.Hostile(r, queue, writableBuffersExpected: r.Next(2) == 0, BlockRequest);
        var ok = _block.Check(ring, () => Notify(_block.Transport, r, 0), () => AllConsumed(ring));
        return ok.Classify(_block.Device.IsRunning, "device kept running").Classify(ring.AllWellFormed, "all requests well formed");
    });

    [FsCheck.NUnit.Property(MaxTest = 25_000, Replay = "7340033,1048583", QuietOnSuccess = false)]
    public Property Net_device_survives_hostile_transmit_queues() => Prop.ForAll(Seeds, seed =>
    {
        var r = new Random(seed);
        _peer.ReceiveAll();
        var queue = _netTx.Start(r, VirtioNetDevice.TransmitQueue, NetFeatures.MrgRxbuf | NetFeatures.Mac);
        var ring = _netTx.Hostile(r, queue, writableBuffersExpected: r.Next(4) == 0, rr => Packet(rr, _netTx.Ram));
        var ok = _netTx.Check(ring, () => Notify(_netTx.Transport, r, VirtioNetDevice.TransmitQueue), () => AllConsumed(ring));
        return (ok && _peer.Port.Device.IsRunning && _sender.Port.Device.IsRunning).Classify(_netTx.Device.IsRunning, "device kept running");
    });

    [FsCheck.NUnit.Property(MaxTest = 20_000, Replay = "31415926,2718281", QuietOnSuccess = false)]
    public Property Net_device_survives_hostile_receive_queues() => Prop.ForAll(Seeds, seed =>
    {
        var r = new Random(seed);
        var queue = _netRx.Start(r, VirtioNetDevice.ReceiveQueue, r.Next(2) == 0 ? NetFeatures.MrgRxbuf : 0);
        var ring = _netRx.Hostile(r, queue, writableBuffersExpected: r.Next(4) != 0, rr => Buffers(rr, true));
        var frames = r.Next(1, 4);
        var ok = _netRx.Check(ring, () =>
        {
            Notify(_netRx.Transport, r, VirtioNetDevice.ReceiveQueue);
            for (var i = 0; i < frames; i++)
                _sender.Send(Frames.Ethernet(MacAddress.Broadcast, _sender.Mac, r.Next(0, 1500)));
        }, () => true);
        _sender.Driver.ReclaimTx();
        _peer.ReceiveAll();
        return ok && _sender.Port.Device.IsRunning && _peer.Port.Device.IsRunning;
    });

    [FsCheck.NUnit.Property(MaxTest = 15_000, Replay = "1618033,1414213", QuietOnSuccess = false)]
    public Property Console_survives_hostile_queues() => Prop.ForAll(Seeds, seed =>
    {
        var r = new Random(seed);
        // A fresh console per case: host input a hostile guest never takes must not pile up across cases.
        var ram = new GuestRam(HostileRing.RamPages);
        var console = new VirtioConsoleDevice(ram.Memory, new VirtioConsoleOptions { QueueSize = QueueSize });
        var target = new Target(ram, console, new VirtioMmioTransport(console, new RecordingLine()));
        var hostile = r.Next(2);
        var queue = target.Start(r, hostile);
        var ring = target.Hostile(r, queue, writableBuffersExpected: hostile == VirtioConsoleDevice.ReceiveQueue, rr => Buffers(rr, hostile == VirtioConsoleDevice.ReceiveQueue));
        return target.Check(ring, () =>
        {
            if (hostile == VirtioConsoleDevice.ReceiveQueue)
            {
                var bytes = new byte[r.Next(1, 3000)];
                console.Input.WriteAsync(bytes).AsTask().GetAwaiter().GetResult();
            }
            Notify(target.Transport, r, hostile);
        }, () => hostile == VirtioConsoleDevice.ReceiveQueue || AllConsumed(ring));
    });

    [Test]
    public void More_than_65536_block_requests_wrap_the_indices()
    {
        var r = new Random(1);
        var queue = _block.Start(r, 0);
        var header = HostileRing.PoolStart; // IN, sector 0
        var data = HostileRing.PoolStart + 0x100;
        var status = HostileRing.PoolStart + 0x400;
        _block.Ram.At(header, 16).Clear();
        DriverBuffer[] request = [new(header, 16), new(data, 512, true), new(status, 1, true)];
        for (var i = 0; i < 70_000; i++)
        {
            _disk.Data[0] = (byte)i;
            Assert.That(queue.Add(request), Is.GreaterThanOrEqualTo(0));
            _block.Mmio.Kick(queue, 0);
            Assert.That(queue.TryGetUsed(out _, out var written), Is.True);
            if (written != 513 || _block.Ram.At(data, 1)[0] != (byte)i || _block.Ram.At(status, 1)[0] != 0)
                Assert.Fail($"request {i} was not served correctly");
        }
        Assert.That(queue.ReadUsedIndex(), Is.EqualTo((ushort)(70_000 & 0xffff)));
        Assert.That(_block.Device.IsRunning, Is.True);
    }
}
