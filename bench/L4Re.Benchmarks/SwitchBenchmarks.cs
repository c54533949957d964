using BenchmarkDotNet.Attributes;
using L4Re.Kernel.Memory;
using L4Re.Vio.Devices.Net;
using L4Re.Vio.Driver;
using L4Re.Vio.Memory;
using L4Re.Vio.Switch;
using L4Re.Vio.Virtio;

namespace L4Re.Benchmarks;

/// <summary>
/// Frames forwarded between two virtio-net ports through the virtual switch (issue 6): port A's driver queues
/// 128 frames and notifies; the switch copies each frame from A's transmit buffer into B's receive buffer;
/// B's driver takes them and reposts its buffers. One operation = one frame, driver work on both sides included.
/// </summary>
[MemoryDiagnoser]
public class SwitchBenchmarks
{
    private const int Batch = 128;

    private VirtioNetDriver _a = null!;
    private VirtioNetDriver _b = null!;
    private byte[] _frame = [];
    private readonly byte[] _received = new byte[2048];

    /// <summary>Ethernet frame size in bytes (64: minimum frame; 1500: full MTU payload).</summary>
    [Params(64, 1500)]
    public int FrameSize { get; set; }

    /// <summary>Two guests on one switch; the switch has learned both addresses.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var sw = new VirtualSwitch();
        _a = Guest(sw, "a");
        _b = Guest(sw, "b");
        _frame = new byte[FrameSize];
        _b.Mac.Write(_frame);
        _a.Mac.Write(_frame.AsSpan(6));
        _frame[12] = 0x88;
        _frame[13] = 0xb5;
        // Teach the switch where A is, so the benchmark measures unicast forwarding.
        var hello = new byte[64];
        _a.Mac.Write(hello);
        _b.Mac.Write(hello.AsSpan(6));
        _b.Send(hello);
        if (_a.TryReceive(_received) != 64 || ForwardFrames() != Batch)
            throw new InvalidOperationException("frames are not forwarded");
    }

    private static VirtioNetDriver Guest(VirtualSwitch sw, string name)
    {
        var ram = new Dataspace(8 << 20, name);
        var memory = new DriverMemoryList(2);
        const ulong guestBase = 0x8000_0000;
        memory.Add(guestBase, ram.Size, ram);
        var port = sw.CreatePort(new PortOptions { Name = name }, memory);
        var driver = new VirtioNetDriver(new VirtioMmioTransport(port.Device), memory, new GuestMemoryAllocator(guestBase, (ulong)ram.Size));
        driver.Start();
        return driver;
    }

    /// <summary>Forward 128 frames from A to B (reported per frame).</summary>
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
}
