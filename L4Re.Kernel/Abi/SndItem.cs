namespace L4Re.Kernel.Abi;

/// <summary>
/// The control word of a send item (<c>l4_snd_fpage_t.snd_base</c>, Fiasco's <c>L4_snd_item</c>):
/// the first of the two words of a typed message item; the second is the <see cref="Fpage"/> to send.
/// Bit 3 marks a map item (<c>L4_ITEM_MAP</c>), bit 1 a grant, bit 0 a compound item that shares the
/// current receive buffer with the next item, bits 4–7 carry cacheability (memory) or object
/// attributes, and bits 12 and up the send base: the offset (or capability index) in the receive window.
/// </summary>
/// <remarks>Source: l4re-core l4sys/include/consts.h, __l4_fpage.h (<c>l4_map_control</c>); fiasco src/abi/l4_msg_item.cpp.</remarks>
public readonly record struct SndItem(ulong Raw)
{
    /// <summary><c>L4_ITEM_MAP</c>: the item maps (or grants) a flexpage.</summary>
    public const ulong MapBit = 8;
    /// <summary><c>L4_MAP_ITEM_GRANT</c>: move instead of copy.</summary>
    public const ulong GrantBit = 2;
    /// <summary><c>L4_ITEM_CONT</c>: compound item, the next item uses the same receive buffer.</summary>
    public const ulong CompoundBit = 1;
    /// <summary>Object attribute <c>L4_FPAGE_C_NO_REF_CNT</c> (<c>C_weak_ref</c>): map an uncounted reference.</summary>
    public const byte WeakRef = 0x10;
    /// <summary>Object attribute <c>L4_FPAGE_C_OBJ_RIGHT1</c>; for IPC gates <c>L4_FPAGE_C_IPCGATE_SVR</c>, the server (bind/get_info) interface.</summary>
    public const byte ObjRight1 = 0x20;
    /// <summary>Object attribute <c>L4_FPAGE_C_OBJ_RIGHT2</c>.</summary>
    public const byte ObjRight2 = 0x40;
    /// <summary>Object attribute <c>L4_FPAGE_C_OBJ_RIGHT3</c>.</summary>
    public const byte ObjRight3 = 0x80;
    /// <summary><c>L4_FPAGE_C_OBJ_RIGHTS</c>: all object-specific rights.</summary>
    public const byte ObjRights = ObjRight1 | ObjRight2 | ObjRight3;

    /// <summary><c>l4_map_control(snd_base, cache, grant)</c>: a memory or I/O map item.</summary>
    public static SndItem Map(ulong sndBase, byte cache = 0, bool grant = false) =>
        new((sndBase & Fpage.AddressMask) | ((ulong)(cache & 0xf) << 4) | MapBit | (grant ? GrantBit : 0));

    /// <summary><c>l4_map_obj_control(snd_base, grant)</c>, optionally with object attributes (bits 4–7).</summary>
    public static SndItem MapObj(ulong sndBase = 0, bool grant = false, byte attributes = 0) =>
        new((sndBase & Fpage.AddressMask) | (ulong)(byte)(attributes & 0xf0) | MapBit | (grant ? GrantBit : 0));

    /// <summary>True for the all-zero void item, which the kernel skips.</summary>
    public bool IsVoid => Raw == 0;

    /// <summary>True for a map item (bit 3).</summary>
    public bool IsMap => (Raw & MapBit) != 0;

    /// <summary>True for a grant (bit 1): the receiver takes the sender's place in the mapping tree.</summary>
    public bool IsGrant => (Raw & GrantBit) != 0;

    /// <summary>True for a compound item (bit 0).</summary>
    public bool IsCompound => (Raw & CompoundBit) != 0;

    /// <summary>The attribute bits 4–7 (cacheability for memory, object attributes for capabilities).</summary>
    public byte Attributes => (byte)(Raw & 0xf0);

    /// <summary>The cacheability option for memory (<c>L4_FPAGE_CACHE_OPT</c> ... in bits 4–7, shifted down).</summary>
    public byte Cache => (byte)((Raw >> 4) & 0xf);

    /// <summary>The send base: offset in the receive window (bits 12 and up, unshifted).</summary>
    public ulong SendBase => Raw & Fpage.AddressMask;

    /// <summary>The send base as capability index (bits 12 and up, shifted down).</summary>
    public ulong Index => Raw >> Fpage.AddressShift;

    /// <inheritdoc />
    public override string ToString() => IsVoid ? "item:void" : $"item:{(IsGrant ? "grant" : "map")} base=0x{SendBase:x} attr=0x{Attributes:x}{(IsCompound ? " cont" : "")}";
}
