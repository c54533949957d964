using L4Re.Uvmm.Devices;
using L4Re.Uvmm.Vmm;

namespace L4Re.Uvmm.Tests.Devices;

public class SysconTests
{
    [Test]
    public void Syscon_reboot_writes_0x66()
    {
        var shutdown = new ShutdownController();
        var seen = new List<ShutdownRequest>();
        shutdown.Requested += seen.Add;
        var syscon = new SysconL4vmm(shutdown);
        // syscon-reboot: regmap_update_bits(map, offset 0, mask 0xffffffff, value 0x66) reads, then writes.
        Assert.That(syscon.Read(0, MmioWidth.Word, 0), Is.Zero);
        syscon.Write(0, MmioWidth.Word, 0x66, 0);
        Assert.That(shutdown.Pending?.Kind, Is.EqualTo(ShutdownKind.Reboot));
        syscon.Write(0, MmioWidth.Word, 0, 0);
        Assert.That(shutdown.Pending?.Kind, Is.EqualTo(ShutdownKind.Reboot), "the first request wins");
        Assert.That(seen, Has.Count.EqualTo(1));
    }

    [Test]
    public void Other_values_power_off_with_that_code()
    {
        var shutdown = new ShutdownController();
        var syscon = new SysconL4vmm(shutdown);
        syscon.Write(4, MmioWidth.Word, 1, 0);
        Assert.That(shutdown.Pending, Is.Null, "only offset 0 is a register");
        syscon.Write(0, MmioWidth.Word, 1, 0);
        Assert.That(shutdown.Pending, Is.EqualTo(new ShutdownRequest(ShutdownKind.PowerOff, 1, "syscon-l4vmm: shutdown (1)")));
    }
}
