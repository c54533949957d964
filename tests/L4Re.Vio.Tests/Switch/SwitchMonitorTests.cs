using L4Re.Vio.Capture;
using L4Re.Vio.Devices.Net;
using L4Re.Vio.Switch;
using L4Re.Vio.Tests.Support;

namespace L4Re.Vio.Tests.Switch;

/// <summary>The receive-only monitor port and its filter.</summary>
public class SwitchMonitorTests
{
    [Test]
    public void The_monitor_sees_unicast_and_flooded_traffic_tagged_by_vlan()
    {
        var sw = new VirtualSwitch();
        var a = new GuestNic(sw, ["name=a", "vlan=access=7"]);
        var b = new GuestNic(sw, ["name=b", "vlan=access=7"]);
        var n = new GuestNic(sw, ["name=n"]);
        var mon = new GuestNic(sw, ["name=mon", "type=monitor"]);
        Assert.That(sw.Monitor, Is.SameAs(mon.Port));
        Assert.That(mon.Port.VlanMode, Is.EqualTo(PortVlanMode.Monitor));
        var flood = Frames.Ethernet(MacAddress.Broadcast, a.Mac);
        a.Send(flood);
        var reply = Frames.Ethernet(a.Mac, b.Mac);
        b.Send(reply);
        var native = Frames.Ethernet(MacAddress.Broadcast, n.Mac);
        n.Send(native);
        Assert.That(mon.ReceiveAll(), Is.EqualTo(new[] { Frames.Tag(flood, 7), Frames.Tag(reply, 7), native }));
        Assert.That(sw.Ports, Does.Not.Contain(mon.Port), "the monitor is not a forwarding port");
    }

    [Test]
    public void The_monitor_is_receive_only()
    {
        var sw = new VirtualSwitch();
        var a = new GuestNic(sw, ["name=a"]);
        var mon = new GuestNic(sw, ["type=monitor"]);
        Assert.That(mon.Port.Name, Is.EqualTo("monitor[0]"));
        mon.Send(Frames.Ethernet(MacAddress.Broadcast, mon.Mac));
        Assert.That(a.ReceiveAll(), Is.Empty);
        Assert.That(mon.Port.Device.TransmitDrops, Is.EqualTo(1));
        Assert.That(mon.Driver.ReclaimTx(), Is.EqualTo(1), "its buffers come back");
    }

    [Test]
    public void The_filter_keeps_frames_away_from_the_monitor()
    {
        var sw = new VirtualSwitch
        {
            // filter.cc's example: only ARP reaches the monitor.
            MonitorFilter = frame => frame.Length <= 13 || (frame[12] << 8 | frame[13]) != 0x0806,
        };
        var a = new GuestNic(sw, ["name=a"]);
        var b = new GuestNic(sw, ["name=b"]);
        var mon = new GuestNic(sw, ["type=monitor"]);
        var arp = Frames.Ethernet(MacAddress.Broadcast, a.Mac, etherType: 0x0806);
        var ip = Frames.Ethernet(MacAddress.Broadcast, a.Mac, etherType: 0x0800);
        a.Send(arp);
        a.Send(ip);
        Assert.That(mon.ReceiveAll(), Is.EqualTo(new[] { arp }));
        Assert.That(b.ReceiveAll(), Is.EqualTo(new[] { arp, ip }), "the filter concerns only the monitor");
    }

    [Test]
    public void A_frame_dropped_as_never_back_to_the_source_is_not_mirrored()
    {
        var sw = new VirtualSwitch();
        var a = new GuestNic(sw, ["name=a"]);
        var mon = new GuestNic(sw, ["type=monitor"]);
        var behind = Frames.Mac(0x55);
        a.Send(Frames.Ethernet(MacAddress.Broadcast, behind));
        mon.ReceiveAll();
        a.Send(Frames.Ethernet(behind, a.Mac));
        Assert.That(mon.ReceiveAll(), Is.Empty);
    }

    [Test]
    public void Only_one_monitor()
    {
        var sw = new VirtualSwitch();
        _ = sw.CreatePort("type=monitor");
        Assert.That(sw.PortAvailable(monitor: true), Is.False);
        var e = Assert.Throws<InvalidOperationException>(() => sw.CreatePort("type=monitor", "name=second"));
        Assert.That(e!.Message, Does.Contain("already defined as monitor port"));
    }

    [Test]
    public void A_pcap_monitor_records_all_traffic()
    {
        var sw = new VirtualSwitch();
        var stream = new MemoryStream();
        var writer = new PcapWriter(stream, leaveOpen: true);
        var pcap = sw.CreatePcapPort(writer);
        Assert.That(sw.Monitor, Is.SameAs(pcap));
        var a = new GuestNic(sw, ["name=a"]);
        var b = new GuestNic(sw, ["name=b"]);
        a.Send(Frames.Ethernet(MacAddress.Broadcast, a.Mac));
        b.Send(Frames.Ethernet(a.Mac, b.Mac, 200));
        Assert.That(writer.Frames, Is.EqualTo(2));
        Assert.That(pcap.Statistics.TxNum, Is.EqualTo(2));
        writer.Dispose();
        Assert.That(stream.Length, Is.EqualTo(PcapWriter.FileHeaderSize + 2 * PcapWriter.RecordHeaderSize + 60 + 214));
    }
}
