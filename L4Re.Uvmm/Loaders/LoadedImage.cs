namespace L4Re.Uvmm.Loaders;

/// <summary>A block of guest RAM a loader filled.</summary>
/// <param name="GuestPhysical">Physical start.</param>
/// <param name="FileSize">Bytes copied from the file.</param>
/// <param name="MemorySize">Bytes occupied (the rest after <paramref name="FileSize"/> is zero-filled BSS).</param>
public readonly record struct LoadedSegment(ulong GuestPhysical, ulong FileSize, ulong MemorySize)
{
    /// <summary>First physical address after the segment.</summary>
    public ulong End => GuestPhysical + MemorySize;
}

/// <summary>What a loader put into guest RAM and where execution starts.</summary>
/// <param name="Name">The file name, for diagnostics.</param>
/// <param name="EntryPoint">The guest virtual address to start at (kseg0 for a Linux kernel).</param>
/// <param name="Segments">The loaded segments.</param>
public sealed record LoadedImage(string Name, uint EntryPoint, IReadOnlyList<LoadedSegment> Segments)
{
    /// <summary>Lowest physical address used.</summary>
    public ulong Start => Segments.Count == 0 ? 0 : Segments.Min(s => s.GuestPhysical);

    /// <summary>First physical address after the image (including BSS).</summary>
    public ulong End => Segments.Count == 0 ? 0 : Segments.Max(s => s.End);
}
