namespace L4Re.Io.Ipc;

/// <summary>
/// The L4Re protocol labels a vbus capability answers besides its own (l4re-core
/// <c>l4re/include/protocols.h</c>): a vbus is an <c>L4vbus::Vbus</c>, i.e. a
/// <c>Kobject_3t&lt;Vbus, L4Re::Dataspace, L4Re::Inhibitor, L4Re::Event&gt;</c> whose own messages carry
/// label 0 (<c>PROTO_ANY</c>, kernkonzept/io <c>libvbus/include/vbus</c>).
/// </summary>
public static class L4ReProtocol
{
    /// <summary>The vbus's own protocol (<c>L4vbus::Vbus::Protocol</c>, <c>PROTO_ANY</c>).</summary>
    public const long Vbus = 0;

    /// <summary><c>L4RE_PROTO_DATASPACE</c>: a vbus is the dataspace of its devices' MMIO windows, offset = physical address.</summary>
    public const long Dataspace = 0x4000;

    /// <summary><c>L4RE_PROTO_EVENT</c>.</summary>
    public const long Event = 0x4006;

    /// <summary><c>L4RE_PROTO_INHIBITOR</c>.</summary>
    public const long Inhibitor = 0x4007;

    /// <summary><c>L4RE_PROTO_DMA_SPACE</c> (the user-level <c>L4Re::Dma_space</c>).</summary>
    public const long DmaSpace = 0x4008;
}

/// <summary>The opcodes of <c>L4Re::Dataspace</c> (the order of its <c>Rpcs</c> list; the opcode is an <c>int</c>).</summary>
public enum DataspaceOp
{
    /// <summary><c>map(offset, spot, flags, rcv_fpage) → snd_fpage</c>.</summary>
    Map = 0,
    /// <summary><c>clear(offset, size)</c>.</summary>
    Clear = 1,
    /// <summary><c>info() → Stats</c>.</summary>
    Info = 2,
    /// <summary><c>copy_in(...)</c>.</summary>
    CopyIn = 3,
    /// <summary><c>allocate(offset, size)</c>.</summary>
    Allocate = 4,
    /// <summary><c>map_info(start, end)</c>.</summary>
    MapInfo = 5,
}

/// <summary>
/// The flags of a dataspace map request (<c>L4Re::Dataspace::F::Flags</c>, l4re-core
/// <c>l4re/include/dataspace</c>): rights in bits 0–3 (as flexpage rights) and the caching in bits 4–5.
/// </summary>
[Flags]
public enum DataspaceMapFlags : ulong
{
    /// <summary>No rights; normal (cached) memory.</summary>
    None = 0,
    /// <summary>Execute (<c>L4_FPAGE_X</c>).</summary>
    X = 0x1,
    /// <summary>Write (<c>L4_FPAGE_W</c>).</summary>
    W = 0x2,
    /// <summary>Read (<c>L4_FPAGE_RO</c>).</summary>
    R = 0x4,
    /// <summary>Read and write.</summary>
    RW = R | W,
    /// <summary>Bufferable (write-combined) mapping (<c>Bufferable</c>).</summary>
    Bufferable = 0x10,
    /// <summary>Uncacheable mapping (<c>Uncacheable</c>).</summary>
    Uncacheable = 0x20,
    /// <summary>The caching bits (<c>Caching_mask</c>); 0 is normal, cached memory.</summary>
    CachingMask = 0x30,
}
