using L4Re.Kernel.Memory;

namespace L4Re.Kernel.Tests;

public class DataspaceTests
{
    [Test]
    public void Is_zero_filled_and_page_granular()
    {
        var ds = new Dataspace(3 * Dataspace.PageSize, "ram");
        Assert.That(ds.Pages, Is.EqualTo(3));
        Assert.That(ds.Span.ToArray(), Is.All.EqualTo((byte)0));
    }

    [TestCase(0)]
    [TestCase(-4096)]
    [TestCase(4095)]
    public void Rejects_sizes_that_are_not_whole_pages(long size) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new Dataspace(size));
}
