namespace L4Re.Kernel.Abi;

/// <summary>
/// What the receiver finds in bits 1–2 of the first word of each received typed item
/// (Fiasco's <c>L4_return_item_writer::Rcv_type</c>).
/// </summary>
/// <remarks>Source: fiasco src/abi/l4_msg_item.cpp.</remarks>
public enum ReturnItemType : byte
{
    /// <summary>Mapping done, something was mapped.</summary>
    MapSomething = 0,
    /// <summary>Mapping done, nothing was mapped.</summary>
    MapNothing = 2,
    /// <summary>The IPC gate label and rights were transferred (local id) in the second word.</summary>
    Id = 4,
    /// <summary>The flexpage word was transferred in the second word (same task).</summary>
    Flexpage = 6,
}
