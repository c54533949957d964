using BenchmarkDotNet.Attributes;
using L4Re.Kernel.Memory;
using L4Re.Vio.Devices.Net;
using L4Re.Vio.Driver;
using L4Re.Vio.Memory;
using L4Re.Vio.Switch;
using L4Re.Vio.Virtio;

namespace L4Re.Benchmarks;

/// <summary>
/// Frames forwarded between two virtio-net ports through the virtual switch (issue 6). One operation is one
/// frame; each invocation moves a burst of 128.
/// <list type="bullet">
/// <item><see cref="ForwardFrames"/>: end to end with the polling <see cref="VirtioNetDriver"/> on both sides
/// (copy into a transmit buffer, publish, notify; switch; take from the receive ring, copy out, repost).</item>
/// <item><see cref="SwitchOnly"/>: the device and switch work alone — the guests' rings are pre-filled and the
/// drivers only advance their available indices, as a guest that keeps its rings full would.</item>
/// </list>
/// </summary>
[MemoryDiagnoser]
public class SwitchBenchmarks
{
    private const int Batch = 128;
    private const int QueueSize = 256;
    private const ulong GuestBase = 0x8000_0000;

    private VirtioNetDriver _a = null!;
    private VirtioNetDriver _b = null!;
    private byte[] _frame = [];
    private readonly byte[] _received = new byte[2048];
    private VirtioMmioTransport _rawSender = null!;
    private VirtqueueDriver _rawTx = null!;
    private VirtqueueDriver _rawRx = null!;
    private ushort _txIndex;
    private ushort _rxIndex;

    /// <summary>Ethernet frame size in bytes (64: minimum frame; 1500: full MTU payload).</summary>
    [Params(64, 1500)]
    public int FrameSize { get; set; }

    /// <summary>Two pairs of guests on two switches; each switch has learned both addresses.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var sw = new VirtualSwitch(new SwitchOptions { QueueSize = QueueSize });
        _a = Guest(sw, "a", out _, out _);
        _b = Guest(sw, "b", out _, out _);
        _frame = Frame(_b.Mac, _a.Mac);
        Learn(_a, _b);
        if (ForwardFrames() != Batch)
            throw new InvalidOperationException("frames are not forwarded");

        // Raw rings: every descriptor of the sender's transmit queue holds a frame, every descriptor of the
        // receiver's receive queue a buffer; the ring slots point at them once and for all.
        var raw = new VirtualSwitch(new SwitchOptions { QueueSize = QueueSize });
        var sender = Guest(raw, "raw-a", out _rawSender, out var senderMemory);
        var receiver = Guest(raw, "raw-b", out _, out var receiverMemory);
        Learn(sender, receiver);
        var allocator = new GuestMemoryAllocator(GuestBase + (6UL << 20), 2UL << 20);
        _rawTx = sender.Tx;
        _rawRx = receiver.Rx;
        var frame = Frame(receiver.Mac, sender.Mac);
        for (var i = 0; i < QueueSize; i++)
        {
            var tx = allocator.Allocate((ulong)(NetHeader.Size + FrameSize));
            senderMemory.DriverSpan(tx, NetHeader.Size).Clear();
            frame.CopyTo(senderMemory.DriverSpan(tx + NetHeader.Size, FrameSize));
            _rawTx.WriteDescriptor(i, new VirtqueueDescriptor(tx, (uint)(NetHeader.Size + FrameSize), DescriptorFlags.None, 0));
            _rawTx.WriteAvailRing(_rawTx.AvailIndex + i, (ushort)i);
        }
        var rxAllocator = new GuestMemoryAllocator(GuestBase + (6UL << 20), 2UL << 20);
        for (var i = 0; i < QueueSize; i++)
        {
            var rx = rxAllocator.Allocate(NetHeader.Size + 1514);
            _rawRx.WriteDescriptor(i, new VirtqueueDescriptor(rx, NetHeader.Size + 1514, DescriptorFlags.Write, 0));
            _rawRx.WriteAvailRing(_rawRx.AvailIndex + i, (ushort)i);
        }
        _txIndex = _rawTx.AvailIndex;
        _rxIndex = (ushort)(_rawRx.AvailIndex + QueueSize - _rawRx.Outstanding);
        _rawRx.WriteAvailIndex(_rxIndex);
        var used = _rawRx.ReadUsedIndex();
        SwitchOnly();
        if ((ushort)(_rawRx.ReadUsedIndex() - used) != Batch)
            throw new InvalidOperationException("frames are not forwarded on the raw rings");
        _ = receiverMemory;
    }

    private byte[] Frame(MacAddress destination, MacAddress source)
    {
        var frame = new byte[FrameSize];
        destination.Write(frame);
        source.Write(frame.AsSpan(6));
        frame[12] = 0x88;
        frame[13] = 0xb5;
        return frame;
    }

    // Teach the switch where both guests are, so the benchmark measures unicast forwarding.
    private void Learn(VirtioNetDriver a, VirtioNetDriver b)
    {
        var hello = new byte[64];
        a.Mac.Write(hello);
        b.Mac.Write(hello.AsSpan(6));
        b.Send(hello);
        if (a.TryReceive(_received) != 64)
            throw new InvalidOperationException("the switch does not forward");
        a.Kick();
    }

    private static VirtioNetDriver Guest(VirtualSwitch sw, string name, out VirtioMmioTransport transport, out DriverMemoryList memory)
    {
        var ram = new Dataspace(8 << 20, name);
        memory = new DriverMemoryList(2);
        memory.Add(GuestBase, ram.Size, ram);
        var port = sw.CreatePort(new PortOptions { Name = name }, memory);
        transport = new VirtioMmioTransport(port.Device);
        var driver = new VirtioNetDriver(transport, memory, new GuestMemoryAllocator(GuestBase, 6UL << 20));
        driver.Start();
        return driver;
    }

    /// <summary>Forward 128 frames from A to B with full driver work on both sides (reported per frame).</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public int ForwardFrames()
    {
        for (var i = 0; i < Batch; i++)
            _a.Send(_frame, kick: false);
        _a.Kick();
        var n = 0;
        while (_b.TryReceive(_received) >= 0)
            n++;
        _b.Kick();
        return n;
    }

    /// <summary>Forward 128 frames over pre-filled rings: device and switch work only (reported per frame).</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public ushort SwitchOnly()
    {
        _txIndex += Batch;
        _rawTx.WriteAvailIndex(_txIndex);
        _rawSender.Write(MmioRegister.QueueNotify, VirtioNetDevice.TransmitQueue);
        _rxIndex += Batch;
        _rawRx.WriteAvailIndex(_rxIndex);
        return _txIndex;
    }
}
