using L4Re.Kernel.Memory;

namespace L4Re.Io.Dma;

/// <summary>Where a DMA address lands: a byte of a dataspace and how many bytes from there are contiguous.</summary>
/// <param name="Dataspace">The backing memory.</param>
/// <param name="Offset">The byte offset in <paramref name="Dataspace"/>.</param>
/// <param name="Length">The number of bytes from <paramref name="Offset"/> that the same translation covers (at least 1).</param>
public readonly record struct DmaTarget(Dataspace Dataspace, long Offset, long Length);
