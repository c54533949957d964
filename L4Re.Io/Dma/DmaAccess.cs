namespace L4Re.Io.Dma;

/// <summary>
/// The direction of a DMA transfer seen from memory, and the rights of a DMA mapping. A device that
/// reads memory needs <see cref="Read"/> (L4Re's <c>Dma_space::To_device</c>), one that writes memory
/// needs <see cref="Write"/> (<c>From_device</c>).
/// </summary>
[Flags]
public enum DmaAccess : byte
{
    /// <summary>No access.</summary>
    None = 0,
    /// <summary>The device reads memory.</summary>
    Read = 1,
    /// <summary>The device writes memory.</summary>
    Write = 2,
    /// <summary>Both (<c>Dma_space::Bidirectional</c>).</summary>
    ReadWrite = Read | Write,
}
