using L4Re.Vio.Devices.Net;
using L4Re.Vio.Driver;
using L4Re.Vio.Switch;
using L4Re.Vio.Tests.Support;
using L4Re.Vio.Virtio;

namespace L4Re.Vio.Tests.Devices;

public class NetDeviceTests
{
    private static (VirtioNetDevice Device, VirtioMmioTransport Transport, VirtioNetDriver Driver, GuestRam Ram, RecordingLine Line) Standalone(VirtioNetOptions? options = null, ulong features = VirtioNetDriver.DefaultFeatures)
    {
        var ram = new GuestRam(256);
        var device = new VirtioNetDevice(ram.Memory, options ?? new VirtioNetOptions { Mac = Frames.Mac(1) });
        var line = new RecordingLine();
        var transport = new VirtioMmioTransport(device, line);
        var driver = new VirtioNetDriver(transport, ram.Memory, ram.Allocator, features);
        driver.Start();
        return (device, transport, driver, ram, line);
    }

    [Test]
    public void Offers_the_l4vio_switch_features_plus_status_and_event_idx()
    {
        var (device, _, driver, _, _) = Standalone();
        Assert.That(device.DeviceId, Is.EqualTo(VirtioDeviceId.Net));
        Assert.That(VirtioFeatures.Has(device.DeviceFeatures, VirtioFeatures.Version1 | VirtioFeatures.IndirectDesc | NetFeatures.MrgRxbuf | NetFeatures.Mac | NetFeatures.Status | VirtioFeatures.EventIdx), Is.True);
        Assert.That(device.DeviceFeatures & (NetFeatures.Csum | NetFeatures.CtrlVq | NetFeatures.MultiQueue), Is.Zero);
        Assert.That(driver.Features, Is.EqualTo(VirtioNetDriver.DefaultFeatures | VirtioFeatures.Version1));
    }

    [Test]
    public void The_mac_is_in_the_config_space()
    {
        var (_, _, driver, _, _) = Standalone();
        Assert.That(driver.Mac, Is.EqualTo(Frames.Mac(1)));
    }

    [Test]
    public void No_mac_feature_without_a_mac()
    {
        var (device, _, driver, _, _) = Standalone(new VirtioNetOptions());
        Assert.That(device.DeviceFeatures & NetFeatures.Mac, Is.Zero);
        Assert.That(driver.Mac.IsUnknown, Is.True);
    }

    [Test]
    public void Link_status_changes_notify_the_driver()
    {
        var (device, transport, driver, _, line) = Standalone();
        Assert.That(driver.LinkUp, Is.True);
        var generation = transport.Read(MmioRegister.ConfigGeneration);
        device.LinkUp = false;
        Assert.That(driver.LinkUp, Is.False);
        Assert.That(transport.Read(MmioRegister.ConfigGeneration), Is.Not.EqualTo(generation));
        Assert.That(transport.PendingInterrupts & InterruptStatus.ConfigChange, Is.EqualTo(InterruptStatus.ConfigChange));
        Assert.That(line.Level, Is.True);
    }

    [Test]
    public void Without_a_backend_transmitted_frames_are_dropped_and_returned()
    {
        var (device, _, driver, _, _) = Standalone();
        Assert.That(driver.Send(Frames.Ethernet(MacAddress.Broadcast, Frames.Mac(1))), Is.True);
        Assert.That(device.TransmitDrops, Is.EqualTo(1));
        Assert.That(driver.ReclaimTx(), Is.EqualTo(1));
    }

    [Test]
    public void Receive_writes_header_and_frame_and_sets_num_buffers()
    {
        var (device, _, driver, _, _) = Standalone();
        var frame = Frames.Ethernet(Frames.Mac(1), Frames.Mac(2), 100);
        var reader = FrameReader.FromSpan(frame);
        lock (device.SyncRoot)
            Assert.That(device.Receive(ref reader, default), Is.EqualTo(DeliveryResult.Delivered));
        var buf = new byte[2000];
        var n = driver.TryReceive(buf);
        Assert.That(buf.AsSpan(0, n).ToArray(), Is.EqualTo(frame));
        Assert.That(driver.Rx.LastUsedIndex, Is.EqualTo((ushort)1));
    }

    [Test]
    public void Mergeable_buffers_carry_a_frame_larger_than_one_buffer()
    {
        var ram = new GuestRam(256);
        var device = new VirtioNetDevice(ram.Memory, new VirtioNetOptions { Mac = Frames.Mac(1) });
        var transport = new VirtioMmioTransport(device);
        var driver = new VirtioNetDriver(transport, ram.Memory, ram.Allocator, bufferSize: 256);
        driver.Start();
        var frame = Frames.Ethernet(Frames.Mac(1), Frames.Mac(2), 1000);
        var reader = FrameReader.FromSpan(frame);
        lock (device.SyncRoot)
            Assert.That(device.Receive(ref reader, default), Is.EqualTo(DeliveryResult.Delivered));
        var usedBefore = driver.Rx.LastUsedIndex;
        var buf = new byte[2000];
        var n = driver.TryReceive(buf);
        Assert.That(n, Is.EqualTo(frame.Length));
        Assert.That(buf.AsSpan(0, n).ToArray(), Is.EqualTo(frame));
        Assert.That((ushort)(driver.Rx.LastUsedIndex - usedBefore), Is.EqualTo((ushort)5), "12 + 1014 bytes in 256-byte buffers");
    }

    [Test]
    public void Without_mergeable_buffers_a_frame_too_large_for_a_buffer_is_dropped_and_the_buffer_kept()
    {
        var ram = new GuestRam(256);
        var device = new VirtioNetDevice(ram.Memory, new VirtioNetOptions { Mac = Frames.Mac(1) });
        var transport = new VirtioMmioTransport(device);
        var driver = new VirtioNetDriver(transport, ram.Memory, ram.Allocator, NetFeatures.Mac, bufferSize: 256);
        driver.Start();
        var big = FrameReader.FromSpan(Frames.Ethernet(Frames.Mac(1), Frames.Mac(2), 1000));
        var small = Frames.Ethernet(Frames.Mac(1), Frames.Mac(2), 100);
        var smallReader = FrameReader.FromSpan(small);
        lock (device.SyncRoot)
        {
            Assert.That(device.Receive(ref big, default), Is.EqualTo(DeliveryResult.Dropped));
            Assert.That(device.Receive(ref smallReader, default), Is.EqualTo(DeliveryResult.Delivered));
        }
        var buf = new byte[2000];
        Assert.That(buf.AsSpan(0, driver.TryReceive(buf)).ToArray(), Is.EqualTo(small));
        Assert.That(driver.TryReceive(buf), Is.EqualTo(-1));
    }

    [Test]
    public void A_receive_without_buffers_is_dropped()
    {
        var ram = new GuestRam(64);
        var device = new VirtioNetDevice(ram.Memory);
        _ = new VirtioMmioTransport(device);
        var reader = FrameReader.FromSpan(Frames.Ethernet(Frames.Mac(1), Frames.Mac(2)));
        lock (device.SyncRoot)
            Assert.That(device.Receive(ref reader, default), Is.EqualTo(DeliveryResult.Dropped), "not running");
    }

    [Test]
    public void Header_split_across_descriptors_is_gathered()
    {
        // Driver sends header and frame in separate descriptors, even a header split 5 + 7 (virtio 1.x §2.6.4).
        var sw = new VirtualSwitch();
        var a = new GuestNic(sw, ["name=a"]);
        var b = new GuestNic(sw, ["name=b"]);
        var frame = Frames.Ethernet(b.Mac, a.Mac, 60);
        var h1 = a.Ram.Put(new byte[5]);
        var h2 = a.Ram.Put(new byte[7]);
        var f1 = a.Ram.Put(frame.AsSpan(0, 3));
        var f2 = a.Ram.Put(frame.AsSpan(3));
        a.Driver.Tx.Add([new DriverBuffer(h1, 5), new DriverBuffer(h2, 7), new DriverBuffer(f1, 3), new DriverBuffer(f2, (uint)frame.Length - 3)]);
        a.Driver.Kick();
        var got = b.ReceiveAll();
        Assert.That(got, Has.Count.EqualTo(1));
        Assert.That(got[0], Is.EqualTo(frame));
    }

    [Test]
    public void A_transmit_shorter_than_the_header_is_dropped_without_a_reset()
    {
        var (device, _, driver, ram, _) = Standalone();
        driver.Tx.Add([new DriverBuffer(ram.Put(new byte[12]), 12)]);
        driver.Kick();
        Assert.That(device.IsRunning, Is.True);
        Assert.That(device.TransmitDrops, Is.EqualTo(1));
    }

    [Test]
    public void A_writable_buffer_in_a_transmit_chain_needs_a_reset()
    {
        var (device, _, driver, ram, _) = Standalone();
        driver.Tx.Add([new DriverBuffer(ram.Alloc(64), 64, true)]);
        driver.Kick();
        Assert.That(device.Status & DeviceStatus.DeviceNeedsReset, Is.EqualTo(DeviceStatus.DeviceNeedsReset));
    }

    [Test]
    public void Tiny_frames_in_one_descriptor_take_the_general_path_and_arrive_intact()
    {
        var sw = new VirtualSwitch();
        var a = new GuestNic(sw, ["name=a"]);
        var b = new GuestNic(sw, ["name=b"]);
        // Shorter than 6 bytes: destination and source are both "unknown" (00:..:00); the source is learned on
        // port a first, so the destination resolves to the source port and l4vio drops the frame.
        Assert.That(a.Send([0xff, 0xff, 0xff]), Is.True);
        Assert.That(b.ReceiveAll(), Is.Empty);
        foreach (var length in new[] { 6, 11, 12, 13, 15, 16, 17 })
        {
            var frame = Enumerable.Range(0, length).Select(i => (byte)(0xf0 + i)).ToArray(); // multicast bit set: flooded
            Assert.That(a.Send(frame), Is.True);
            Assert.That(b.ReceiveAll(), Is.EqualTo(new[] { frame }), $"length {length}");
        }
    }

    [Test]
    public void A_frame_that_exactly_fills_a_receive_buffer_is_delivered()
    {
        var sw = new VirtualSwitch();
        var a = new GuestNic(sw, ["name=a"]);
        var b = new GuestNic(sw, ["name=b"], features: NetFeatures.Mac, bufferSize: 12 + 100);
        var exact = Frames.Ethernet(MacAddress.Broadcast, a.Mac, 100 - 14);
        var tooBig = Frames.Ethernet(MacAddress.Broadcast, a.Mac, 101 - 14);
        a.Send(exact);
        a.Send(tooBig);
        Assert.That(b.ReceiveAll(), Is.EqualTo(new[] { exact }));
        Assert.That(b.Port.Statistics.TxDropped, Is.EqualTo(1));
    }
}
