using L4Re.Io.Hw;

namespace L4Re.Io.Tests;

public class ResourceTypeTests
{
    [Test]
    public void Resource_types_have_the_vbus_numbers()
    {
        Assert.That((int)ResourceType.Irq, Is.EqualTo(1));
        Assert.That((int)ResourceType.Mem, Is.EqualTo(2));
        Assert.That((int)ResourceType.Port, Is.EqualTo(3));
        Assert.That((int)ResourceType.Bus, Is.EqualTo(4));
        Assert.That((int)ResourceType.Gpio, Is.EqualTo(5));
        Assert.That((int)ResourceType.DmaDomain, Is.EqualTo(6));
    }
}
