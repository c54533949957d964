using L4Re.Vio.Devices.Net;
using L4Re.Vio.Switch;
using L4Re.Vio.Tests.Support;

namespace L4Re.Vio.Tests.Switch;

/// <summary>VLAN rules of l4vio_switch: access/trunk drop rules, tag insertion and removal (port.h, vlan.h).</summary>
public class SwitchVlanTests
{
    private sealed class Net
    {
        public Net()
        {
            Switch = new VirtualSwitch();
            A1 = new GuestNic(Switch, ["name=a1", "vlan=access=10"]);
            A2 = new GuestNic(Switch, ["name=a2", "vlan=access=10"]);
            B1 = new GuestNic(Switch, ["name=b1", "vlan=access=20"]);
            T10 = new GuestNic(Switch, ["name=t10", "vlan=trunk=10"]);
            T1020 = new GuestNic(Switch, ["name=t1020", "vlan=trunk=10,20"]);
            TAll = new GuestNic(Switch, ["name=tall", "vlan=trunk=all"]);
            N = new GuestNic(Switch, ["name=n"]);
        }

        public VirtualSwitch Switch { get; }

        public GuestNic A1 { get; }

        public GuestNic A2 { get; }

        public GuestNic B1 { get; }

        public GuestNic T10 { get; }

        public GuestNic T1020 { get; }

        public GuestNic TAll { get; }

        public GuestNic N { get; }

        public GuestNic[] All => [A1, A2, B1, T10, T1020, TAll, N];
    }

    [Test]
    public void Port_vlan_modes_follow_the_options()
    {
        var net = new Net();
        Assert.That(net.A1.Port.VlanMode, Is.EqualTo(PortVlanMode.Access));
        Assert.That(net.A1.Port.VlanId, Is.EqualTo(10));
        Assert.That(net.T1020.Port.VlanMode, Is.EqualTo(PortVlanMode.Trunk));
        Assert.That(net.T1020.Port.TrunkVlans, Is.EqualTo(new ushort[] { 10, 20 }));
        Assert.That(net.TAll.Port.TrunkAll, Is.True);
        Assert.That(net.N.Port.VlanMode, Is.EqualTo(PortVlanMode.Native));
        Assert.That(net.N.Port.VlanId, Is.EqualTo(VlanIds.Native));
    }

    [Test]
    public void Access_frames_stay_in_their_vlan_and_are_tagged_towards_trunks()
    {
        var net = new Net();
        var frame = Frames.Ethernet(MacAddress.Broadcast, net.A1.Mac);
        net.A1.Send(frame);
        var tagged = Frames.Tag(frame, 10);
        Assert.That(net.A2.ReceiveAll(), Is.EqualTo(new[] { frame }), "untagged on the other access port");
        Assert.That(net.T10.ReceiveAll(), Is.EqualTo(new[] { tagged }));
        Assert.That(net.T1020.ReceiveAll(), Is.EqualTo(new[] { tagged }));
        Assert.That(net.TAll.ReceiveAll(), Is.EqualTo(new[] { tagged }));
        Assert.That(net.B1.ReceiveAll(), Is.Empty);
        Assert.That(net.N.ReceiveAll(), Is.Empty);
        Assert.That(net.A1.ReceiveAll(), Is.Empty);
    }

    [Test]
    public void Trunk_frames_are_untagged_towards_access_ports_and_keep_the_tag_towards_trunks()
    {
        var net = new Net();
        var untagged = Frames.Ethernet(MacAddress.Broadcast, net.T1020.Mac, 50);
        var tagged = Frames.Tag(untagged, 20);
        net.T1020.Send(tagged);
        Assert.That(net.B1.ReceiveAll(), Is.EqualTo(new[] { untagged }));
        Assert.That(net.TAll.ReceiveAll(), Is.EqualTo(new[] { tagged }));
        Assert.That(net.A1.ReceiveAll(), Is.Empty);
        Assert.That(net.T10.ReceiveAll(), Is.Empty);
        Assert.That(net.N.ReceiveAll(), Is.Empty);
    }

    [Test]
    public void A_trunk_drops_untagged_frames_and_foreign_vlans()
    {
        var net = new Net();
        net.T10.Send(Frames.Ethernet(MacAddress.Broadcast, net.T10.Mac));
        net.T10.Send(Frames.Ethernet(MacAddress.Broadcast, net.T10.Mac, vlan: 20));
        Assert.That(net.T10.Port.Statistics.TxDropped, Is.EqualTo(2));
        foreach (var n in net.All)
            Assert.That(n.ReceiveAll(), Is.Empty, n.Port.Name);
        Assert.That(net.Switch.MacTable.Count, Is.Zero, "dropped frames teach nothing");
    }

    [Test]
    public void An_access_port_drops_tagged_frames()
    {
        var net = new Net();
        net.A1.Send(Frames.Ethernet(MacAddress.Broadcast, net.A1.Mac, vlan: 10));
        Assert.That(net.A1.Port.Statistics.TxDropped, Is.EqualTo(1));
        foreach (var n in net.All)
            Assert.That(n.ReceiveAll(), Is.Empty, n.Port.Name);
    }

    [Test]
    public void Native_frames_reach_native_ports_and_trunk_all_ports_untagged()
    {
        var net = new Net();
        var n2 = new GuestNic(net.Switch, ["name=n2"]);
        var frame = Frames.Ethernet(MacAddress.Broadcast, net.N.Mac);
        net.N.Send(frame);
        Assert.That(n2.ReceiveAll(), Is.EqualTo(new[] { frame }));
        Assert.That(net.TAll.ReceiveAll(), Is.EqualTo(new[] { frame }), "match_vlan: a trunk=all port matches every id, and no tag is added for a native source");
        foreach (var n in new[] { net.A1, net.A2, net.B1, net.T10, net.T1020 })
            Assert.That(n.ReceiveAll(), Is.Empty, n.Port.Name);
    }

    [Test]
    public void The_same_mac_is_learned_separately_per_vlan()
    {
        var net = new Net();
        var shared = Frames.Mac(0x77);
        net.A1.Send(Frames.Ethernet(MacAddress.Broadcast, shared));
        net.B1.Send(Frames.Ethernet(MacAddress.Broadcast, shared));
        Assert.That(net.Switch.MacTable.Lookup(shared, 10), Is.SameAs(net.A1.Port));
        Assert.That(net.Switch.MacTable.Lookup(shared, 20), Is.SameAs(net.B1.Port));
        foreach (var n in net.All)
            n.ReceiveAll();
        var toShared20 = Frames.Ethernet(shared, net.T1020.Mac, vlan: 20);
        net.T1020.Send(toShared20);
        Assert.That(net.B1.ReceiveAll(), Is.EqualTo(new[] { Frames.Untag(toShared20) }));
        Assert.That(net.A1.ReceiveAll(), Is.Empty);
        Assert.That(net.TAll.ReceiveAll(), Is.Empty, "unicast to a learned address");
    }

    [Test]
    public void A_checksum_offset_in_the_header_moves_with_the_tag()
    {
        Assert.That(VlanMangle.Add(5).Rewrite(new NetHeader(NetHeader.NeedsCsum, 0, 0, 0, 34, 16, 0)).CsumStart, Is.EqualTo(38));
        Assert.That(VlanMangle.Remove.Rewrite(new NetHeader(NetHeader.NeedsCsum, 0, 0, 0, 38, 16, 0)).CsumStart, Is.EqualTo(34));
        Assert.That(VlanMangle.Add(5).Rewrite(new NetHeader(0, 0, 0, 0, 34, 16, 0)).CsumStart, Is.EqualTo(34));
    }

    [Test]
    public void Tag_insertion_and_removal_work_across_split_reads()
    {
        var frame = Frames.Ethernet(Frames.Mac(1), Frames.Mac(2), 30);
        var tagged = Frames.Tag(frame, 0x123);
        foreach (var chunk in new[] { 1, 3, 5, 13, 64 })
        {
            var reader = FrameReader.FromSpan(frame).WithMangle(VlanMangle.Add(0x123));
            Assert.That(ReadInChunks(ref reader, chunk), Is.EqualTo(tagged), $"add, chunk {chunk}");
            var back = FrameReader.FromSpan(tagged).WithMangle(VlanMangle.Remove);
            Assert.That(ReadInChunks(ref back, chunk), Is.EqualTo(frame), $"remove, chunk {chunk}");
        }
    }

    private static byte[] ReadInChunks(ref FrameReader reader, int chunk)
    {
        var result = new List<byte>();
        var buf = new byte[chunk];
        int n;
        while ((n = reader.Read(buf)) > 0)
            result.AddRange(buf.AsSpan(0, n).ToArray());
        Assert.That(result, Has.Count.EqualTo(reader.Length));
        return result.ToArray();
    }
}
