namespace L4Re.Io.Hw;

/// <summary>
/// Flags of a memory (<see cref="ResourceType.Mem"/>) resource as a vbus client sees them in
/// <c>l4vbus_resource_t.flags</c> (<c>l4vbus_resource_flags_t</c>; values from
/// kernkonzept/io <c>libvbus/include/vbus_types.h</c>, which io's <c>resource.h</c> shifts into its
/// internal <c>Mem_type_*</c> flags).
/// </summary>
[Flags]
public enum MemFlags : ushort
{
    /// <summary>No flags: neither readable nor writable (an unusable region).</summary>
    None = 0,
    /// <summary>The region is readable (<c>L4VBUS_RESOURCE_F_MEM_R</c>).</summary>
    R = 0x1,
    /// <summary>The region is writable (<c>L4VBUS_RESOURCE_F_MEM_W</c>).</summary>
    W = 0x2,
    /// <summary>Readable and writable, io's default for <c>Io.Res.mmio</c>.</summary>
    RW = R | W,
    /// <summary>Prefetchable: a client may map it buffered or uncached (<c>L4VBUS_RESOURCE_F_MEM_PREFETCHABLE</c>).</summary>
    Prefetchable = 0x10,
    /// <summary>Cacheable, which implies prefetchable; otherwise the client must not map it cached (<c>L4VBUS_RESOURCE_F_MEM_CACHEABLE</c>).</summary>
    Cacheable = 0x20,
    /// <summary>Reads go through the MMIO-space protocol instead of a mapping (<c>L4VBUS_RESOURCE_F_MEM_MMIO_READ</c>).</summary>
    MmioRead = 0x2000,
    /// <summary>Writes go through the MMIO-space protocol instead of a mapping (<c>L4VBUS_RESOURCE_F_MEM_MMIO_WRITE</c>).</summary>
    MmioWrite = 0x4000,
}

/// <summary>Helpers for <see cref="MemFlags"/>.</summary>
public static class MemFlagsExtensions
{
    /// <summary>Every flag bit defined by <c>l4vbus_resource_flags_t</c>.</summary>
    public const MemFlags All = MemFlags.RW | MemFlags.Prefetchable | MemFlags.Cacheable | MemFlags.MmioRead | MemFlags.MmioWrite;

    /// <summary>True when <paramref name="flags"/> has only defined bits.</summary>
    public static bool IsDefined(this MemFlags flags) => (flags & ~All) == 0;
}
