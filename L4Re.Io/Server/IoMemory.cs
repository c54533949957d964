using L4Re.Io.Config;
using L4Re.Io.Hw;
using L4Re.Kernel.Abi;
using L4Re.Kernel.Memory;

namespace L4Re.Io.Server;

/// <summary>
/// I/O memory: the physical frames of the devices' MMIO windows. They are the kernel's I/O memory
/// (<see cref="PhysicalMemoryKind.IoMemory"/>): the register file the platform placed there, or — where nothing
/// is placed — a zero-filled dataspace io places on first use. io claims the frames of a window for its task
/// (<see cref="PhysicalMemory.Claim"/>, so sigma0 hands them to nobody else) and maps them into its own task from
/// sigma0 as sigma0 answers <c>SIGMA0_REQ_FPAGE_IOMEM</c> (uncached, or cached for a cacheable window) — io's
/// <c>res_map_iomem</c> (kernkonzept/io <c>io/server/src/res.cc</c>) — so that every client mapping of a window is a
/// child of io's mapping in the mapping database and io can revoke it by unmapping its own frames.
/// </summary>
internal sealed class IoMemory(IoTask io)
{
    /// <summary>The largest window io backs with host memory (larger windows can be declared, not mapped).</summary>
    public const ulong MaxBacking = 256UL << 20;

    private const int PageShift = Fpage.PageOrder;

    private PhysicalMemory Physical => io.Kernel.PhysicalMemory;

    /// <summary>Load-time check of a device's MMIO windows: a window must not share a page with RAM.</summary>
    public void Check(HwDevice device, List<ConfigError> errors)
    {
        foreach (var r in device.Resources)
        {
            if (r.Value.Type != ResourceType.Mem)
                continue;
            var (first, last) = Pages(r.Value);
            foreach (var region in Physical.Regions)
            {
                if (region.Kind == PhysicalMemoryKind.Ram && first <= (region.End >> PageShift) - 1 && region.Base >> PageShift <= last)
                {
                    errors.Add(new ConfigError(ConfigErrorCode.OverlappingRegion,
                        $"mmio '{r.Name}' of device '{device.Name}' [0x{r.Value.Start:x}..0x{r.Value.End:x}] overlaps RAM {region}", r.Origin));
                    break;
                }
            }
        }
    }

    /// <summary>
    /// Makes sure the pages [<paramref name="first"/>, <paramref name="last"/>] of <paramref name="window"/> are mapped
    /// in io's task (placing and claiming the whole window first if needed).
    /// </summary>
    /// <returns><see cref="L4Error.Ok"/>, or the error of <see cref="Back"/>.</returns>
    public L4Error MapInto(in Resource window, ulong first, ulong last)
    {
        var p = first;
        while (p <= last && io.Task.Memory.Lookup(p) is not null)
            p++;
        if (p > last)
            return L4Error.Ok;
        var err = Back(window);
        if (err != L4Error.Ok)
            return err;
        var caching = (window.MemFlags & MemFlags.Cacheable) != 0 ? FpageCacheability.Cacheable : FpageCacheability.Uncacheable;
        for (; p <= last; p++)
        {
            if (io.Task.Memory.Lookup(p) is null
                && !io.Task.Map(io.Kernel.Sigma0, Fpage.Memory(p << PageShift, PageShift, MemRights.RWX), SndItem.Map(p << PageShift, (byte)caching)).IsOk)
                return L4Error.NoMem;
        }
        return L4Error.Ok;
    }

    /// <summary>
    /// Makes sure the frames of <paramref name="window"/> are I/O memory in the kernel's physical memory and claimed by
    /// io: holes are filled with zero-filled I/O memory. All or nothing: on an error, what this call placed is removed again.
    /// </summary>
    /// <returns><see cref="L4Error.Ok"/>; <see cref="L4Error.Range"/> when the window lies beyond the address space;
    /// <see cref="L4Error.NoMem"/> when it is too large to back or RAM appeared under it; <see cref="L4Error.Busy"/>
    /// when someone else holds a frame of it.</returns>
    public L4Error Back(in Resource window)
    {
        var (first, last) = Pages(window);
        if (last >= io.Task.Memory.Limit)
            return L4Error.Range;
        if ((last - first + 1) << PageShift > MaxBacking)
            return L4Error.NoMem;
        var placed = new List<Dataspace>();
        var err = L4Error.Ok;
        for (var p = first; p <= last;)
        {
            if (Physical.FindRegion(p << PageShift) is { } region)
            {
                if (region.Kind != PhysicalMemoryKind.IoMemory)
                {
                    err = L4Error.NoMem;
                    break;
                }
                p = region.End >> PageShift;
                continue;
            }
            var run = p;
            while (run < last && Physical.FindRegion((run + 1) << PageShift) is null)
                run++;
            var ds = new Dataspace((long)(run - p + 1) << PageShift, $"iomem@0x{p << PageShift:x}");
            Physical.Add(ds, p << PageShift, PhysicalMemoryKind.IoMemory);
            placed.Add(ds);
            p = run + 1;
        }
        if (err == L4Error.Ok)
            err = Physical.Claim(first << PageShift, (last - first + 1) << PageShift, io.Task);
        if (err != L4Error.Ok)
        {
            foreach (var ds in placed)
                Physical.Remove(ds);
        }
        return err;
    }

    /// <summary>The first and last page of a window (sub-page windows map their whole page).</summary>
    public static (ulong First, ulong Last) Pages(in Resource window) => (window.Start >> PageShift, window.End >> PageShift);
}
