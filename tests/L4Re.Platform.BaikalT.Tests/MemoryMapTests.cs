using FsCheck;
using FsCheck.Fluent;
using L4Re.Platform.BaikalT.Soc;

namespace L4Re.Platform.BaikalT.Tests;

public class MemoryMapTests
{
    [Test]
    public void Blocks_are_sorted_and_do_not_overlap()
    {
        var blocks = BaikalT1MemoryMap.Blocks;
        for (var i = 1; i < blocks.Count; i++)
            Assert.That(blocks[i].Base, Is.GreaterThanOrEqualTo(blocks[i - 1].End), $"{blocks[i - 1].Name} overlaps {blocks[i].Name}");
    }

    [Test]
    public void Uarts_and_gic_are_where_the_device_tree_puts_them()
    {
        Assert.That(BaikalT1MemoryMap.Find(0x1f04a000)?.Name, Is.EqualTo("uart0"));
        Assert.That(BaikalT1MemoryMap.Uart1.Irqs, Is.EqualTo(new[] { 49 }));
        Assert.That(BaikalT1MemoryMap.Gic.Base, Is.EqualTo(0x1bdc0000UL));
    }

    [FsCheck.NUnit.Property]
    public Property Find_returns_a_block_containing_the_address(uint address)
    {
        var block = BaikalT1MemoryMap.Find(address);
        return (block is null || (address >= block.Base && address < block.End)).ToProperty();
    }
}
