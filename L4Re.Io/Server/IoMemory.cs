using L4Re.Io.Config;
using L4Re.Io.Hw;
using L4Re.Kernel.Abi;
using L4Re.Kernel.Memory;

namespace L4Re.Io.Server;

/// <summary>
/// I/O memory: the physical frames of the devices' MMIO windows. io places them in the kernel's
/// physical memory (a zero-filled dataspace per window unless the platform already placed the device's
/// register file there) and maps them into its own task from sigma0 — io's <c>map_iomem</c>
/// (kernkonzept/io <c>io/server/src/res.cc</c>) — so that every client mapping of a window is a child of
/// io's mapping in the mapping database and io can revoke it by unmapping its own frames. Backing is lazy
/// (on the first map of a window) so that configurations with large windows cost nothing until used.
/// Regions that back windows are not RAM: CPU-phys DMA does not reach them.
/// </summary>
internal sealed class IoMemory(IoTask io)
{
    /// <summary>The largest window io backs with host memory (larger windows can be declared, not mapped).</summary>
    public const ulong MaxBacking = 256UL << 20;

    private const int PageShift = Fpage.PageOrder;

    private readonly HashSet<Dataspace> _device = [];
    private readonly HashSet<(ulong First, ulong Last)> _backed = [];

    private PhysicalMemory Physical => io.Kernel.PhysicalMemory;

    /// <summary>True when <paramref name="dataspace"/> backs device windows (is not RAM).</summary>
    public bool IsIoMemory(Dataspace dataspace) => _device.Contains(dataspace);

    /// <summary>
    /// Load-time check of a device's MMIO windows against physical memory: a window must either be free of
    /// physical regions (io backs it) or lie completely in regions that are there already (the platform's
    /// register file); a window that partly overlaps RAM is an error.
    /// </summary>
    public void Check(HwDevice device, List<ConfigError> errors)
    {
        foreach (var r in device.Resources)
        {
            if (r.Value.Type != ResourceType.Mem)
                continue;
            var (first, last) = Pages(r.Value);
            ulong covered = 0;
            PhysicalRegion? seen = null;
            foreach (var (region, count) in Overlaps(first, last))
            {
                if (_device.Contains(region.Dataspace))
                    continue;
                covered += count;
                seen = region;
            }
            if (covered != 0 && covered != last - first + 1)
                errors.Add(new ConfigError(ConfigErrorCode.OverlappingRegion,
                    $"mmio '{r.Name}' of device '{device.Name}' [0x{r.Value.Start:x}..0x{r.Value.End:x}] partly overlaps physical memory {seen}",
                    r.Origin));
        }
    }

    /// <summary>Records the regions the platform placed under the device's windows as device memory.</summary>
    public void Claim(HwDevice device)
    {
        foreach (var r in device.Resources)
        {
            if (r.Value.Type != ResourceType.Mem)
                continue;
            var (first, last) = Pages(r.Value);
            foreach (var (region, _) in Overlaps(first, last))
                _device.Add(region.Dataspace);
        }
    }

    /// <summary>The physical regions that share pages with [<paramref name="first"/>, <paramref name="last"/>] and how many.</summary>
    private List<(PhysicalRegion Region, ulong Pages)> Overlaps(ulong first, ulong last)
    {
        var list = new List<(PhysicalRegion, ulong)>();
        foreach (var region in Physical.Regions)
        {
            var rf = region.Base >> PageShift;
            var rl = (region.End >> PageShift) - 1;
            var a = Math.Max(first, rf);
            var b = Math.Min(last, rl);
            if (a <= b)
                list.Add((region, b - a + 1));
        }
        return list;
    }

    /// <summary>
    /// Makes sure the pages of <paramref name="window"/> are in physical memory and mapped in io's task.
    /// </summary>
    /// <returns><see cref="L4Error.Ok"/>; <see cref="L4Error.NoMem"/> when the window is too large to back or
    /// RAM appeared under it; <see cref="L4Error.Range"/> when it lies beyond the address space.</returns>
    public L4Error Back(in Resource window)
    {
        var (first, last) = Pages(window);
        if (_backed.Contains((first, last)))
            return L4Error.Ok; // io never unmaps its own I/O memory
        if (last >= io.Task.Memory.Limit)
            return L4Error.Range;
        if ((last - first + 1) << PageShift > MaxBacking)
            return L4Error.NoMem;
        // Place uncovered runs of pages; refuse when a page is RAM.
        var p = first;
        while (true)
        {
            if (Find(p) is { } region)
            {
                if (!_device.Contains(region.Dataspace))
                    return L4Error.NoMem;
                var end = (region.End >> PageShift) - 1;
                if (end >= last)
                    break;
                p = end + 1;
                continue;
            }
            var run = p;
            while (run < last && Find(run + 1) is null)
                run++;
            var ds = new Dataspace((long)(run - p + 1) << PageShift, $"iomem@0x{p << PageShift:x}");
            Physical.Add(ds, p << PageShift);
            _device.Add(ds);
            if (run >= last)
                break;
            p = run + 1;
        }
        for (p = first; p <= last; p++)
        {
            if (io.Task.Memory.Lookup(p) is null
                && !io.Task.Map(io.Kernel.Sigma0, Fpage.Memory(p << PageShift, PageShift, MemRights.RWX), p << PageShift).IsOk)
                return L4Error.NoMem;
        }
        _backed.Add((first, last));
        return L4Error.Ok;
    }

    /// <summary>The first and last page of a window (sub-page windows map their whole page).</summary>
    public static (ulong First, ulong Last) Pages(in Resource window) => (window.Start >> PageShift, window.End >> PageShift);

    private PhysicalRegion? Find(ulong page)
    {
        var pa = page << PageShift;
        if (pa >> PageShift != page || !Physical.TryFind(pa, out var ds, out _))
            return null;
        foreach (var r in Physical.Regions)
            if (ReferenceEquals(r.Dataspace, ds))
                return r;
        return null;
    }
}
