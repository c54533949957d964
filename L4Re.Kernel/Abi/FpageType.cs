namespace L4Re.Kernel.Abi;

/// <summary>The type field of a flexpage (<c>L4_fpage_type</c>, bits 4–5).</summary>
/// <remarks>Source: l4re-core l4sys/include/__l4_fpage.h.</remarks>
public enum FpageType : byte
{
    /// <summary>Special flexpage: <see cref="Fpage.Invalid"/> (order 0) or <see cref="Fpage.All"/> (order 63).</summary>
    Special = 0,
    /// <summary>Memory flexpage (<c>L4_FPAGE_MEMORY</c>).</summary>
    Memory = 1,
    /// <summary>I/O-port flexpage (<c>L4_FPAGE_IO</c>).</summary>
    Io = 2,
    /// <summary>Object (capability) flexpage (<c>L4_FPAGE_OBJ</c>).</summary>
    Obj = 3,
}
