using L4Re.Vio.Devices.Net;
using L4Re.Vio.Switch;
using L4Re.Vio.Tests.Support;
using L4Re.Vio.Virtio;

namespace L4Re.Vio.Tests.Switch;

/// <summary>Learning, flooding and forwarding as in l4vio_switch's handle_tx_request.</summary>
public class SwitchForwardingTests
{
    [Test]
    public void Unknown_destinations_are_flooded_and_replies_go_unicast()
    {
        var sw = new VirtualSwitch();
        var a = new GuestNic(sw, ["name=a"]);
        var b = new GuestNic(sw, ["name=b"]);
        var c = new GuestNic(sw, ["name=c"]);
        var toB = Frames.Ethernet(b.Mac, a.Mac);
        a.Send(toB);
        Assert.That(b.ReceiveAll(), Is.EqualTo(new[] { toB }));
        Assert.That(c.ReceiveAll(), Is.EqualTo(new[] { toB }), "b's address was unknown: flooded");
        Assert.That(a.ReceiveAll(), Is.Empty, "never back to the source");
        var toA = Frames.Ethernet(a.Mac, b.Mac);
        b.Send(toA);
        Assert.That(a.ReceiveAll(), Is.EqualTo(new[] { toA }));
        Assert.That(c.ReceiveAll(), Is.Empty, "a was learned: unicast");
        a.Send(toB);
        Assert.That(b.ReceiveAll(), Has.Count.EqualTo(1));
        Assert.That(c.ReceiveAll(), Is.Empty, "b was learned from its reply");
        Assert.That(sw.MacTable.Lookup(a.Mac, VlanIds.Native), Is.SameAs(a.Port));
        Assert.That(sw.MacTable.Lookup(b.Mac, VlanIds.Native), Is.SameAs(b.Port));
        Assert.That(sw.MacTable.Entries, Is.EqualTo(new[] { (a.Mac, VlanIds.Native, (SwitchPort)a.Port), (b.Mac, VlanIds.Native, (SwitchPort)b.Port) }),
            "entries in learning order with their VLAN");
    }

    [Test]
    public void Broadcast_and_multicast_go_to_every_other_port()
    {
        var sw = new VirtualSwitch();
        var nics = Enumerable.Range(0, 4).Select(i => new GuestNic(sw, [$"name=n{i}"])).ToArray();
        var bcast = Frames.Ethernet(MacAddress.Broadcast, nics[0].Mac);
        var mcast = Frames.Ethernet(MacAddress.Parse("01:00:5e:00:00:01"), nics[0].Mac);
        nics[1].Send(Frames.Ethernet(nics[0].Mac, nics[1].Mac)); // teach the switch nothing about the multicast group
        foreach (var n in nics)
            n.ReceiveAll();
        nics[0].Send(bcast);
        nics[0].Send(mcast);
        Assert.That(nics[0].ReceiveAll(), Is.Empty);
        foreach (var n in nics.Skip(1))
            Assert.That(n.ReceiveAll(), Is.EqualTo(new[] { bcast, mcast }));
    }

    [Test]
    public void A_frame_for_an_address_learned_on_the_source_port_is_dropped()
    {
        var sw = new VirtualSwitch();
        var a = new GuestNic(sw, ["name=a"]);
        var b = new GuestNic(sw, ["name=b"]);
        var behindA = Frames.Mac(0x33);
        a.Send(Frames.Ethernet(MacAddress.Broadcast, behindA)); // learn behindA on port a
        b.ReceiveAll();
        a.Send(Frames.Ethernet(behindA, a.Mac));
        Assert.That(b.ReceiveAll(), Is.Empty);
        Assert.That(a.ReceiveAll(), Is.Empty);
    }

    [Test]
    public void A_host_that_moves_is_found_on_its_new_port()
    {
        var sw = new VirtualSwitch();
        var a = new GuestNic(sw, ["name=a"]);
        var b = new GuestNic(sw, ["name=b"]);
        var c = new GuestNic(sw, ["name=c"]);
        var roaming = Frames.Mac(0x44);
        a.Send(Frames.Ethernet(MacAddress.Broadcast, roaming));
        Assert.That(sw.MacTable.Lookup(roaming, VlanIds.Native), Is.SameAs(a.Port));
        b.Send(Frames.Ethernet(MacAddress.Broadcast, roaming));
        Assert.That(sw.MacTable.Lookup(roaming, VlanIds.Native), Is.SameAs(b.Port));
        foreach (var n in new[] { a, b, c })
            n.ReceiveAll();
        var toRoaming = Frames.Ethernet(roaming, c.Mac);
        c.Send(toRoaming);
        Assert.That(b.ReceiveAll(), Is.EqualTo(new[] { toRoaming }));
        Assert.That(a.ReceiveAll(), Is.Empty);
    }

    [Test]
    public void The_table_holds_1024_entries_and_evicts_round_robin()
    {
        var sw = new VirtualSwitch();
        var a = new GuestNic(sw, ["name=a"]);
        var b = new GuestNic(sw, ["name=b"]);
        for (var i = 0; i < MacTable.Capacity + 1; i++)
        {
            a.Send(Frames.Ethernet(MacAddress.Broadcast, new MacAddress(0x1000_0000_0000UL + (ulong)(i << 8))));
            if (i % 64 == 0)
                b.ReceiveAll();
        }
        Assert.That(sw.MacTable.Count, Is.EqualTo(MacTable.Capacity));
        Assert.That(sw.MacTable.Lookup(new MacAddress(0x1000_0000_0000UL), VlanIds.Native), Is.Null, "the first entry was evicted");
        Assert.That(sw.MacTable.Lookup(new MacAddress(0x1000_0000_0000UL + 0x100), VlanIds.Native), Is.SameAs(a.Port));
        Assert.That(sw.MacTable.Lookup(new MacAddress(0x1000_0000_0000UL + (MacTable.Capacity << 8)), VlanIds.Native), Is.SameAs(a.Port));
    }

    [Test]
    public void Removing_a_port_flushes_its_addresses()
    {
        var sw = new VirtualSwitch();
        var a = new GuestNic(sw, ["name=a"]);
        var b = new GuestNic(sw, ["name=b"]);
        a.Send(Frames.Ethernet(MacAddress.Broadcast, a.Mac));
        b.Send(Frames.Ethernet(MacAddress.Broadcast, b.Mac));
        Assert.That(sw.MacTable.Count, Is.EqualTo(2));
        b.ReceiveAll();
        Assert.That(sw.RemovePort(a.Port), Is.True);
        Assert.That(sw.MacTable.Count, Is.EqualTo(1));
        Assert.That(sw.MacTable.Lookup(a.Mac, VlanIds.Native), Is.Null);
        Assert.That(sw.Ports, Is.EqualTo(new[] { b.Port }));
        Assert.That(a.Send(Frames.Ethernet(b.Mac, a.Mac)), Is.True);
        Assert.That(b.ReceiveAll(), Is.Empty, "an unplugged port reaches nobody");
        Assert.That(a.Port.Device.TransmitDrops, Is.EqualTo(1));
    }

    [Test]
    public void Statistics_count_deliveries_bytes_and_drops()
    {
        var sw = new VirtualSwitch();
        var a = new GuestNic(sw, ["name=a"]);
        var b = new GuestNic(sw, ["name=b"]);
        var c = new GuestNic(sw, ["name=c"]);
        var frame = Frames.Ethernet(MacAddress.Broadcast, a.Mac, 100);
        a.Send(frame);
        Assert.That(a.Port.Statistics.RxNum, Is.EqualTo(2), "delivered twice");
        Assert.That(a.Port.Statistics.RxBytes, Is.EqualTo(2 * frame.Length));
        Assert.That(b.Port.Statistics.TxNum, Is.EqualTo(1));
        Assert.That(c.Port.Statistics.TxBytes, Is.EqualTo(frame.Length));
        // Fill c's receive queue completely: the next frame for c is dropped and counted.
        for (var i = 0; i < 300; i++)
            a.Send(Frames.Ethernet(c.Mac, a.Mac));
        Assert.That(c.Port.Statistics.TxDropped, Is.GreaterThan(0));
        Assert.That(c.Port.Statistics.TxNum + c.Port.Statistics.TxDropped, Is.EqualTo(301));
    }

    [Test]
    public void Large_frames_cross_the_switch_in_mergeable_buffers()
    {
        var sw = new VirtualSwitch();
        var a = new GuestNic(sw, ["name=a"]);
        var b = new GuestNic(sw, ["name=b"], bufferSize: 512);
        var jumbo = Frames.Ethernet(b.Mac, a.Mac, 1500);
        a.Send(jumbo);
        Assert.That(b.ReceiveAll(), Is.EqualTo(new[] { jumbo }));
    }

    [Test]
    public void The_transmit_burst_is_128_requests_per_port_per_round()
    {
        var sw = new VirtualSwitch(new SwitchOptions { ProcessOnNotify = false, QueueSize = 1024 });
        var a = new GuestNic(sw, ["name=a"], pages: 1024);
        var b = new GuestNic(sw, ["name=b"], pages: 1024);
        var c = new GuestNic(sw, ["name=c"], pages: 1024);
        c.Send(Frames.Ethernet(MacAddress.Broadcast, c.Mac));
        sw.RunPending();
        a.ReceiveAll();
        b.ReceiveAll();
        for (var i = 0; i < 200; i++)
        {
            a.Driver.Send(Frames.Ethernet(c.Mac, a.Mac, 46, fill: 1), kick: false);
            b.Driver.Send(Frames.Ethernet(c.Mac, b.Mac, 46, fill: 2), kick: false);
        }
        a.Driver.Kick();
        b.Driver.Kick();
        Assert.That(c.ReceiveAll(), Is.Empty, "nothing moves before the switch runs");
        Assert.That(sw.RunPending(), Is.EqualTo(400));
        var order = c.ReceiveAll().Select(f => f[14]).ToList();
        var expected = Enumerable.Repeat((byte)1, 128).Concat(Enumerable.Repeat((byte)2, 128))
            .Concat(Enumerable.Repeat((byte)1, 72)).Concat(Enumerable.Repeat((byte)2, 72));
        Assert.That(order, Is.EqualTo(expected));
    }

    [Test]
    public void A_bad_transmit_descriptor_resets_only_the_sender()
    {
        var sw = new VirtualSwitch();
        var a = new GuestNic(sw, ["name=a"]);
        var b = new GuestNic(sw, ["name=b"]);
        a.Driver.Tx.Add([new L4Re.Vio.Driver.DriverBuffer(0xdead_0000, 64)]);
        a.Driver.Kick();
        Assert.That(a.Port.Device.Status & DeviceStatus.DeviceNeedsReset, Is.EqualTo(DeviceStatus.DeviceNeedsReset));
        Assert.That(a.Line.Level, Is.True);
        Assert.That(b.Port.Device.IsRunning, Is.True);
        b.Send(Frames.Ethernet(MacAddress.Broadcast, b.Mac));
        Assert.That(a.ReceiveAll(), Is.Empty);
    }

    [Test]
    public void A_bad_receive_descriptor_resets_only_the_receiver()
    {
        var sw = new VirtualSwitch();
        var a = new GuestNic(sw, ["name=a"]);
        var b = new GuestNic(sw, ["name=b"]);
        var c = new GuestNic(sw, ["name=c"]);
        // Overwrite the descriptor of b's next receive buffer with one outside memory.
        var head = b.Driver.Rx.LastUsedIndex; // buffers were posted in order 0..n
        b.Driver.Rx.WriteDescriptor(head, new VirtqueueDescriptor(0xdead_0000, 1526, DescriptorFlags.Write, 0));
        var frame = Frames.Ethernet(MacAddress.Broadcast, a.Mac);
        a.Send(frame);
        Assert.That(b.Port.Device.Status & DeviceStatus.DeviceNeedsReset, Is.EqualTo(DeviceStatus.DeviceNeedsReset));
        Assert.That(b.Port.Statistics.TxDropped, Is.EqualTo(1));
        Assert.That(c.ReceiveAll(), Is.EqualTo(new[] { frame }));
        Assert.That(a.Port.Device.IsRunning, Is.True);
    }
}
