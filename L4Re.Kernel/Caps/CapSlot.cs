using L4Re.Kernel.Abi;
using L4Re.Kernel.Objects;

namespace L4Re.Kernel.Caps;

/// <summary>
/// One slot of a capability space (Fiasco's <c>Obj::Entry</c>): the object and its attributes — the
/// rights in bits 0–3 (W, S, R, D; R is set in every valid slot) and the object attributes in bits
/// 4–7 (<see cref="CountedBit"/>, and the object-specific rights <see cref="SndItem.ObjRight1"/>...).
/// </summary>
internal struct CapSlot
{
    /// <summary>Attribute bit 4: the slot is a counted reference (Fiasco's <c>Ref_cnt</c>, inverse of <see cref="SndItem.WeakRef"/> in a map item).</summary>
    public const byte CountedBit = 0x10;

    /// <summary>All attributes: the initial attributes of an object's first capability (Fiasco's <c>Attr::Full()</c>).</summary>
    public const byte Full = 0xff;

    public KernelObject? Obj;
    public byte Attr;

    public readonly CapRights Rights => (CapRights)(Attr & 0x0f);
    public readonly byte Extra => (byte)(Attr & 0xf0);
    public readonly bool Counted => (Attr & CountedBit) != 0;
}
