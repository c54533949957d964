namespace L4Re.Kernel.Abi;

/// <summary>
/// A receive buffer item in the UTCB buffer registers (Fiasco's <c>L4_buf_item</c>). A map buffer is
/// two words — this word (<see cref="Map"/>) followed by the receive-window flexpage — unless it is a
/// small object buffer (<see cref="SmallObj"/>), which names one capability slot in this word alone.
/// <see cref="ForwardMappings"/> adds a third word: the capability of the task to receive into.
/// </summary>
/// <remarks>Source: l4re-core l4sys/include/consts.h (<c>L4_RCV_ITEM_*</c>); fiasco src/abi/l4_msg_item.cpp, src/kern/l4_buf_iter.cpp.</remarks>
public readonly record struct BufItem(ulong Raw)
{
    /// <summary><c>L4_RCV_ITEM_FORWARD_MAPPINGS</c>: the next word names the destination task.</summary>
    public const ulong ForwardMappingsBit = 1;
    /// <summary>Small-object bit: the buffer is one capability slot named in this word.</summary>
    public const ulong SmallObjBit = 2;
    /// <summary><c>L4_RCV_ITEM_LOCAL_ID</c>: receive the label (IPC gate) or flexpage instead of a mapping when the object is local.</summary>
    public const ulong LocalIdBit = 4;
    /// <summary><c>L4_RCV_ITEM_SINGLE_CAP</c> = <c>L4_ITEM_MAP | 2</c>.</summary>
    public const ulong SingleCap = SndItem.MapBit | SmallObjBit;

    /// <summary>A map buffer whose window flexpage follows in the next buffer register.</summary>
    public static BufItem Map(bool forwardMappings = false) => new(SndItem.MapBit | (forwardMappings ? ForwardMappingsBit : 0));

    /// <summary><c>cap | L4_RCV_ITEM_SINGLE_CAP</c>: receive one capability into the slot of <paramref name="cap"/>.</summary>
    public static BufItem SmallObj(CapSel cap, bool localId = false) =>
        new((cap.Raw & Fpage.AddressMask) | SingleCap | (localId ? LocalIdBit : 0));

    /// <summary>True for the all-zero word, which ends the buffer list.</summary>
    public bool IsVoid => Raw == 0;

    /// <summary>True for a map buffer (bit 3).</summary>
    public bool IsMap => (Raw & SndItem.MapBit) != 0;

    /// <summary>True when the buffer forwards mappings to another task.</summary>
    public bool ForwardMappings => (Raw & ForwardMappingsBit) != 0;

    /// <summary>True for a small object buffer.</summary>
    public bool IsSmallObj => (Raw & SmallObjBit) != 0;

    /// <summary>True when the receiver asks for the local id instead of a mapping.</summary>
    public bool IsLocalId => (Raw & LocalIdBit) != 0;

    /// <summary>The receive window of a small object buffer: one slot at the index in bits 12 and up.</summary>
    public Fpage SmallObjWindow => new((Raw & Fpage.AddressMask) | ((ulong)FpageType.Obj << Fpage.TypeShift));

    /// <inheritdoc />
    public override string ToString() => IsVoid ? "buf:void" : IsSmallObj ? $"buf:cap {Raw >> 12}" : $"buf:map{(ForwardMappings ? "+fwd" : "")}";
}
