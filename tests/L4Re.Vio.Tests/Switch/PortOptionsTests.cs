using L4Re.Vio.Devices.Net;
using L4Re.Vio.Switch;
using L4Re.Vio.Tests.Support;

namespace L4Re.Vio.Tests.Switch;

public class PortOptionsTests
{
    [Test]
    public void The_documented_examples_parse()
    {
        Assert.That(PortOptions.Parse("ds-max=4").DsMax, Is.EqualTo(4));
        Assert.That(PortOptions.Parse("ds-max=4", "name=foo").Name, Is.EqualTo("foo"));
        Assert.That(PortOptions.Parse("ds-max=4", "name=foo", "type=monitor").Monitor, Is.True);
        Assert.That(PortOptions.Parse("ds-max=4", "name=vl1", "vlan=access=1").VlanAccess, Is.EqualTo((ushort)1));
        Assert.That(PortOptions.Parse("ds-max=4", "name=vl1", "vlan=trunk=1,2").VlanTrunk, Is.EqualTo(new ushort[] { 1, 2 }));
        Assert.That(PortOptions.Parse("vlan=trunk=all").VlanTrunkAll, Is.True);
        Assert.That(PortOptions.Parse("mac=02:11:22:33:44:55").Mac, Is.EqualTo(MacAddress.Parse("02:11:22:33:44:55")));
        Assert.That(PortOptions.Parse("type=none").Monitor, Is.False);
        Assert.That(PortOptions.Parse().DsMax, Is.EqualTo(2));
    }

    [TestCase("vlan=access=0")]
    [TestCase("vlan=access=4095")]
    [TestCase("vlan=access=x")]
    [TestCase("vlan=trunk=")]
    [TestCase("vlan=trunk=1,")]
    [TestCase("vlan=trunk=1,,2")]
    [TestCase("vlan=trunk=1 ,2")]
    [TestCase("vlan=foo=1")]
    [TestCase("type=bogus")]
    [TestCase("mac=02:00:00:00:00")]
    [TestCase("mac=02:00:00:00:00:0g")]
    [TestCase("mac=2:0:0:0:0:0")]
    [TestCase("ds-max=0")]
    [TestCase("ds-max=81")]
    [TestCase("ds-max=")]
    [TestCase("name=")]
    [TestCase("bogus")]
    public void Malformed_options_are_refused(string option) =>
        Assert.Throws<FormatException>(() => PortOptions.Parse(option));

    [Test]
    public void Access_and_trunk_together_are_refused() =>
        Assert.Throws<FormatException>(() => PortOptions.Parse("vlan=access=1", "vlan=trunk=2"));

    [Test]
    public void Names_are_cut_to_19_characters() =>
        Assert.That(PortOptions.Parse("name=" + new string('x', 30)).Name, Has.Length.EqualTo(19));

    [Test]
    public void Ports_without_a_name_are_numbered()
    {
        var sw = new VirtualSwitch();
        Assert.That(sw.CreatePort().Name, Is.EqualTo("[0]"));
        Assert.That(sw.CreatePort("type=monitor").Name, Is.EqualTo("monitor[1]"));
        Assert.That(sw.CreatePort("name=x").Name, Is.EqualTo("x"));
    }

    [Test]
    public void Ports_get_deterministic_locally_administered_macs()
    {
        var one = new VirtualSwitch().CreatePort().Mac;
        var two = new VirtualSwitch().CreatePort().Mac;
        Assert.That(one, Is.EqualTo(two));
        Assert.That(one.IsBroadcast, Is.False);
        Assert.That(one.Value & 2, Is.EqualTo(2UL), "locally administered");
        var none = new VirtualSwitch(new SwitchOptions { AssignMac = false }).CreatePort();
        Assert.That(none.Mac.IsUnknown, Is.True);
        Assert.That(none.Device.DeviceFeatures & NetFeatures.Mac, Is.Zero);
    }

    [Test]
    public void A_mac_in_use_is_refused()
    {
        var sw = new VirtualSwitch();
        sw.CreatePort("mac=02:00:00:00:00:01");
        var e = Assert.Throws<InvalidOperationException>(() => sw.CreatePort("mac=02:00:00:00:00:01", "name=dup"));
        Assert.That(e!.Message, Does.Contain("MAC address already in use"));
        Assert.That(sw.Ports, Has.Count.EqualTo(1));
    }

    [Test]
    public void The_port_limit_is_enforced()
    {
        var sw = new VirtualSwitch(new SwitchOptions { MaxPorts = 2 });
        sw.CreatePort();
        sw.CreatePort();
        Assert.That(sw.PortAvailable(false), Is.False);
        Assert.Throws<InvalidOperationException>(() => sw.CreatePort());
        Assert.DoesNotThrow(() => sw.CreatePort("type=monitor"), "the monitor does not count");
    }

    [Test]
    public void Ds_max_sizes_the_driver_memory_list()
    {
        var port = new VirtualSwitch().CreatePort("ds-max=3");
        Assert.That(port.Device.Memory.Capacity, Is.EqualTo(3));
    }

    [Test]
    public void Mac_addresses_format_and_parse()
    {
        var mac = MacAddress.Parse("02:ab:cd:ef:01:23");
        Assert.That(mac.ToString(), Is.EqualTo("02:ab:cd:ef:01:23"));
        Span<byte> b = stackalloc byte[6];
        mac.Write(b);
        Assert.That(b.ToArray(), Is.EqualTo(new byte[] { 0x02, 0xab, 0xcd, 0xef, 0x01, 0x23 }));
        Assert.That(MacAddress.Broadcast.IsBroadcast, Is.True);
        Assert.That(Frames.Mac(1).IsBroadcast, Is.False);
    }
}
