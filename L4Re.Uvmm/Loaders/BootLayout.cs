using L4Re.Kernel.Memory;
using L4Re.Uvmm.Vmm;

namespace L4Re.Uvmm.Loaders;

/// <summary>
/// Places boot modules in guest RAM after the kernel, the way uvmm's <c>Ram_free_list</c> hands out free RAM:
/// each module goes to the lowest free, suitably aligned address above everything placed so far. Linux needs the
/// initrd page-aligned (<c>arch/mips/kernel/setup.c</c> <c>init_initrd</c>: "initrd start must be page aligned")
/// and the DTB 8-byte aligned; both must lie in the first 512 MiB (kseg0) and must not overlap the image the
/// self-extracting kernel occupies, including its BSS.
/// </summary>
public sealed class BootLayout
{
    private readonly GuestRam _ram;
    private ulong _next;

    /// <summary>Starts placing after <paramref name="lowestFree"/>.</summary>
    /// <param name="ram">Guest RAM.</param>
    /// <param name="lowestFree">The first physical address not used by the kernel image.</param>
    public BootLayout(GuestRam ram, ulong lowestFree)
    {
        _ram = ram;
        _next = lowestFree;
    }

    /// <summary>The first physical address after everything placed.</summary>
    public ulong End => _next;

    /// <summary>Reserves <paramref name="size"/> bytes at the next address aligned to <paramref name="alignment"/> inside one RAM region below 512 MiB.</summary>
    /// <param name="size">Bytes needed.</param>
    /// <param name="alignment">A power of two.</param>
    /// <param name="what">Name for the error message.</param>
    /// <returns>The physical address.</returns>
    /// <exception cref="LoaderException">No RAM region has room.</exception>
    public ulong Allocate(ulong size, ulong alignment, string what)
    {
        if (alignment == 0 || (alignment & (alignment - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(alignment), "a power of two");
        foreach (var region in _ram.Regions)
        {
            var start = Math.Max(_next, region.GuestPhysical);
            start = (start + alignment - 1) & ~(alignment - 1);
            if (start < region.End && size <= region.End - start && start + size <= MipsAddress.WindowSize)
            {
                _next = start + size;
                return start;
            }
        }
        throw new LoaderException($"no room for the {what} ({size} bytes) in guest RAM above 0x{_next:x} and below 512 MiB");
    }

    /// <summary>Places an initrd (page-aligned) and copies it in.</summary>
    /// <param name="initrd">The initrd bytes.</param>
    /// <returns>Its physical [start, end).</returns>
    /// <exception cref="LoaderException">It does not fit.</exception>
    public (ulong Start, ulong End) PlaceInitrd(ReadOnlySpan<byte> initrd)
    {
        var start = Allocate((ulong)initrd.Length, Dataspace.PageSize, "initrd");
        _ram.Write(start, initrd);
        return (start, start + (ulong)initrd.Length);
    }

    /// <summary>Places a DTB (8-byte aligned; page-aligned here so that it shares no page with other modules) and copies it in.</summary>
    /// <param name="dtb">The flattened device tree.</param>
    /// <returns>Its physical address.</returns>
    /// <exception cref="LoaderException">It does not fit.</exception>
    public ulong PlaceDtb(ReadOnlySpan<byte> dtb)
    {
        var start = Allocate((ulong)dtb.Length, Dataspace.PageSize, "device tree");
        _ram.Write(start, dtb);
        return start;
    }
}
