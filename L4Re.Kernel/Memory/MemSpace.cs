using L4Re.Kernel.Abi;
using L4Re.Kernel.Objects;

namespace L4Re.Kernel.Memory;

/// <summary>
/// A memory address space of a task, VM or DMA space (Fiasco's <c>Mem_space</c>) with 4 KiB pages
/// backed by dataspaces. <see cref="TryTranslate"/> is the allocation-free lookup a vCPU's second
/// translation stage or an IOMMU model uses; <see cref="MapSpace.Generation"/> tells a software TLB when
/// to drop cached translations.
/// </summary>
public sealed class MemSpace : MapSpace
{
    internal MemSpace(L4Task owner, int addressBits, PhysicalMemory? sigma0Memory)
        : base(owner, addressBits >= 64 ? 1UL << 52 : 1UL << (addressBits - 12), sigma0Memory)
    {
    }

    internal override bool IsIo => false;

    /// <summary>
    /// Translates <paramref name="address"/> to the dataspace byte backing it. Does not allocate and
    /// does not fault: a missing mapping returns false (for a VM: a GPA exit to the VMM; for a task: the
    /// caller raises a page fault).
    /// </summary>
    public bool TryTranslate(ulong address, out PageTranslation translation)
    {
        var node = Lookup(address >> 12);
        if (node?.Region is not { } region)
        {
            translation = default;
            return false;
        }
        translation = new PageTranslation(region.Dataspace, (node.Frame << 12) | (long)(address & 0xfff), node.Rights) { Caching = node.Caching };
        return true;
    }

    /// <summary>
    /// Copies bytes out of the space without faulting. Returns false (copying nothing) when a page is
    /// missing or lacks the R right.
    /// </summary>
    public bool TryRead(ulong address, Span<byte> destination) => Copy(address, destination, default, MemRights.R);

    /// <summary>Copies bytes into the space without faulting. Returns false (copying nothing) when a page is missing or lacks W.</summary>
    public bool TryWrite(ulong address, ReadOnlySpan<byte> source) => Copy(address, default, source, MemRights.W);

    private bool Copy(ulong address, Span<byte> destination, ReadOnlySpan<byte> source, MemRights need)
    {
        var len = need == MemRights.R ? destination.Length : source.Length;
        for (var pass = 0; pass < 2; pass++)
        {
            var done = 0;
            while (done < len)
            {
                var a = address + (ulong)done;
                if (!TryTranslate(a, out var t) || (t.Rights & need) == 0)
                    return false;
                var n = Math.Min(len - done, Dataspace.PageSize - (int)(a & 0xfff));
                if (pass == 1)
                {
                    var bytes = t.Dataspace.Span.Slice((int)t.Offset, n);
                    if (need == MemRights.R)
                        bytes.CopyTo(destination.Slice(done, n));
                    else
                        source.Slice(done, n).CopyTo(bytes);
                }
                done += n;
            }
        }
        return true;
    }
}
