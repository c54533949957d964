using FsCheck;
using FsCheck.Fluent;
using L4Re.Kernel.Abi;

namespace L4Re.Kernel.Tests;

public class CapSelTests
{
    [Test]
    public void Boot_capabilities_have_the_L4Re_selectors()
    {
        Assert.That(CapSel.FromIndex((ulong)BootCap.Task).Raw, Is.EqualTo(0x1000UL));
        Assert.That(CapSel.FromIndex((ulong)BootCap.Factory).Raw, Is.EqualTo(0x2000UL));
        Assert.That(CapSel.FromIndex((ulong)BootCap.Scheduler).Raw, Is.EqualTo(0x7000UL));
    }

    [Test]
    public void Invalid_cap_is_all_ones_shifted_by_11()
    {
        Assert.That(CapSel.Invalid.Raw, Is.EqualTo(0xFFFF_FFFF_FFFF_F800UL));
        Assert.That(CapSel.Invalid.IsInvalid, Is.True);
        Assert.That(CapSel.FromIndex(5).IsInvalid, Is.False);
    }

    [FsCheck.NUnit.Property]
    public Property Index_round_trips(uint index) =>
        (CapSel.FromIndex(index).Index == index && !CapSel.FromIndex(index).IsInvalid).ToProperty();
}
