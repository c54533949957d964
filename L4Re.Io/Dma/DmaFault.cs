namespace L4Re.Io.Dma;

/// <summary>A refused DMA transfer, as an IOMMU reports it (an I/O page fault, <c>L4_PROTO_IO_PAGE_FAULT</c>).</summary>
/// <param name="Device">The device that attempted the transfer.</param>
/// <param name="Address">The DMA address the transfer started at.</param>
/// <param name="Length">The transfer length in bytes.</param>
/// <param name="Access">Read or write.</param>
/// <param name="FaultAddress">The first DMA address that did not translate.</param>
/// <param name="Status">Why it was refused.</param>
public sealed record DmaFault(string Device, ulong Address, int Length, DmaAccess Access, ulong FaultAddress, DmaStatus Status);
