namespace L4Re.Kernel.Abi;

/// <summary>
/// Access rights of memory flexpages (<c>L4_FPAGE_*</c>, bits 0–3 of a flexpage word). Rights only
/// shrink on every map: the receiver gets the intersection of the sender's mapping and the flexpage.
/// </summary>
/// <remarks>Source: l4re-core l4sys/include/__l4_fpage.h (<c>L4_fpage_rights</c>).</remarks>
[Flags]
public enum MemRights : byte
{
    /// <summary>No access.</summary>
    None = 0,
    /// <summary>Executable (<c>L4_FPAGE_X</c>).</summary>
    X = 1,
    /// <summary>Writable (<c>L4_FPAGE_W</c>).</summary>
    W = 2,
    /// <summary>Readable (<c>L4_FPAGE_RO</c>).</summary>
    R = 4,
    /// <summary>Read and write (<c>L4_FPAGE_RW</c>).</summary>
    RW = R | W,
    /// <summary>Read and execute (<c>L4_FPAGE_RX</c>).</summary>
    RX = R | X,
    /// <summary>Read, write and execute (<c>L4_FPAGE_RWX</c>).</summary>
    RWX = R | W | X,
}
