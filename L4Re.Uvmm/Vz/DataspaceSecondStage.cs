using L4Re.Kernel.Memory;

namespace L4Re.Uvmm.Vz;

/// <summary>
/// A second translation stage built from dataspace regions: each mapping places a page-aligned window of a
/// <see cref="Dataspace"/> at a guest-physical address, writable or read-only. Lookups are a binary search
/// over the sorted regions and allocate nothing.
/// </summary>
public sealed class DataspaceSecondStage : ISecondStage
{
    private Region[] _regions = [];

    /// <inheritdoc />
    public long Generation { get; private set; }

    /// <summary>The current mappings, sorted by guest-physical address.</summary>
    public IReadOnlyList<(ulong Gpa, ulong Size, Dataspace Dataspace, long Offset, bool Writable)> Mappings =>
        _regions.Select(r => (r.Gpa, r.Size, r.Dataspace, r.Offset, r.Writable)).ToArray();

    /// <summary>Maps <paramref name="size"/> bytes of <paramref name="dataspace"/> from <paramref name="offset"/> at <paramref name="gpa"/>.</summary>
    /// <exception cref="ArgumentException">Unaligned, outside the dataspace, or overlapping an existing mapping.</exception>
    public void Map(ulong gpa, Dataspace dataspace, long offset, ulong size, bool writable = true)
    {
        ArgumentNullException.ThrowIfNull(dataspace);
        const ulong page = Dataspace.PageSize;
        if (gpa % page != 0 || size == 0 || size % page != 0 || offset < 0 || offset % Dataspace.PageSize != 0)
            throw new ArgumentException($"mapping 0x{gpa:x}+0x{size:x} (offset 0x{offset:x}) is not page aligned");
        if ((ulong)offset + size > (ulong)dataspace.Size)
            throw new ArgumentException($"mapping 0x{offset:x}+0x{size:x} exceeds dataspace {dataspace}");
        if (gpa + size < gpa)
            throw new ArgumentException("mapping wraps the guest-physical address space");
        foreach (var r in _regions)
        {
            if (gpa < r.Gpa + r.Size && r.Gpa < gpa + size)
                throw new ArgumentException($"mapping 0x{gpa:x}+0x{size:x} overlaps 0x{r.Gpa:x}+0x{r.Size:x}");
        }
        _regions = [.. _regions.Append(new Region(gpa, size, dataspace, offset, writable)).OrderBy(r => r.Gpa)];
    }

    /// <summary>Removes every mapping that intersects [<paramref name="gpa"/>, <paramref name="gpa"/> + <paramref name="size"/>), splitting regions at the page boundaries.</summary>
    public void Unmap(ulong gpa, ulong size)
    {
        var end = gpa + size;
        var result = new List<Region>();
        foreach (var r in _regions)
        {
            var rEnd = r.Gpa + r.Size;
            if (end <= r.Gpa || rEnd <= gpa)
            {
                result.Add(r);
                continue;
            }
            if (r.Gpa < gpa)
                result.Add(r with { Size = gpa - r.Gpa });
            if (end < rEnd)
                result.Add(r with { Gpa = end, Size = rEnd - end, Offset = r.Offset + (long)(end - r.Gpa) });
        }
        _regions = [.. result];
        Generation++;
    }

    /// <inheritdoc />
    public bool TryResolve(ulong gpa, out SecondStagePage page)
    {
        var regions = _regions;
        int lo = 0, hi = regions.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var r = regions[mid];
            if (gpa < r.Gpa)
                hi = mid - 1;
            else if (gpa >= r.Gpa + r.Size)
                lo = mid + 1;
            else
            {
                var offset = r.Offset + (long)((gpa - r.Gpa) & ~(ulong)(Dataspace.PageSize - 1));
                page = new SecondStagePage(r.Dataspace.Memory.Slice((int)offset, Dataspace.PageSize), r.Writable);
                return true;
            }
        }
        page = default;
        return false;
    }

    private sealed record Region(ulong Gpa, ulong Size, Dataspace Dataspace, long Offset, bool Writable);
}
