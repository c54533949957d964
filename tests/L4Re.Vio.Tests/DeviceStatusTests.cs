using L4Re.Vio.Virtio;

namespace L4Re.Vio.Tests;

public class DeviceStatusTests
{
    [Test]
    public void Status_bits_follow_the_virtio_spec()
    {
        Assert.That((byte)DeviceStatus.Acknowledge, Is.EqualTo(1));
        Assert.That((byte)DeviceStatus.Driver, Is.EqualTo(2));
        Assert.That((byte)DeviceStatus.DriverOk, Is.EqualTo(4));
        Assert.That((byte)DeviceStatus.FeaturesOk, Is.EqualTo(8));
        Assert.That((byte)DeviceStatus.DeviceNeedsReset, Is.EqualTo(64));
        Assert.That((byte)DeviceStatus.Failed, Is.EqualTo(128));
    }
}
