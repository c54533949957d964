namespace L4Re.Kernel.Abi;

/// <summary>
/// A capability selector (<c>l4_cap_idx_t</c>, Fiasco's <c>L4_obj_ref</c>): a capability-space index
/// shifted left by <see cref="Shift"/> (<c>L4_CAP_SHIFT</c> = 12). Bits 0–3 carry the invocation
/// flags of a system call (<see cref="SyscallFlags"/>), bit 10 selects the explicit reply-capability
/// space (<c>L4_REPLY_CAP_BIT</c>) and bit 11 marks the invalid capability (<c>L4_INVALID_CAP_BIT</c>).
/// </summary>
/// <remarks>Source: l4re-core l4sys/include/consts.h; fiasco src/abi/l4_types.cpp (<c>L4_obj_ref</c>).</remarks>
public readonly record struct CapSel(ulong Raw)
{
    /// <summary><c>L4_CAP_SHIFT</c>: selectors are capability indices shifted by 12 bits.</summary>
    public const int Shift = 12;

    /// <summary>Bit 10: the selector indexes the explicit reply-capability space (<c>L4_REPLY_CAP_BIT</c>).</summary>
    public const ulong ReplyBit = 1UL << 10;

    /// <summary>Bit 11: the selector is invalid / special (<c>L4_INVALID_CAP_BIT</c>).</summary>
    public const ulong InvalidBit = 1UL << 11;

    /// <summary>The bits that make a selector special (invalid or explicit reply).</summary>
    public const ulong SpecialBits = InvalidBit | ReplyBit;

    /// <summary>The mask of the invocation-flag bits 0–3.</summary>
    public const ulong FlagsMask = 0xf;

    /// <summary>The invalid capability selector (<c>L4_INVALID_CAP</c> = <c>~0UL &lt;&lt; 11</c>).</summary>
    public static CapSel Invalid => new(~0UL << 11);

    /// <summary>The invalid reply capability (<c>L4_INVALID_REPLY_CAP</c> = <c>~0UL &lt;&lt; 10</c>).</summary>
    public static CapSel InvalidReply => new(~0UL << 10);

    /// <summary>Builds the selector of capability-space index <paramref name="index"/>.</summary>
    public static CapSel FromIndex(ulong index) => new(index << Shift);

    /// <summary>Builds the selector of a boot capability (<c>L4_BASE_*_CAP</c>).</summary>
    public static CapSel FromBoot(BootCap cap) => FromIndex((ulong)cap);

    /// <summary>The capability-space index this selector names (bits 12 and up).</summary>
    public ulong Index => Raw >> Shift;

    /// <summary>True for every selector with bit 11 set, the kernel's test for an invalid capability.</summary>
    public bool IsInvalid => (Raw & InvalidBit) != 0;

    /// <summary>True when the selector is special (bit 10 or bit 11 set): the kernel resolves it to the invoking thread itself.</summary>
    public bool IsSpecial => (Raw & SpecialBits) != 0;

    /// <summary>True for the "self" selector: bit 11 set and bit 10 clear (<c>L4_obj_ref::self()</c>).</summary>
    public bool IsSelf => (Raw & SpecialBits) == InvalidBit;

    /// <summary>True when the selector names a slot of the explicit reply-capability space (bit 10 set, bit 11 clear).</summary>
    public bool IsReply => (Raw & SpecialBits) == ReplyBit;

    /// <summary>The invocation flags carried in bits 0–3 when the selector is passed to a system call.</summary>
    public SyscallFlags Flags => (SyscallFlags)(Raw & FlagsMask);

    /// <summary>This selector with its invocation-flag bits replaced by <paramref name="flags"/>.</summary>
    public CapSel WithFlags(SyscallFlags flags) => new((Raw & ~FlagsMask) | ((ulong)flags & FlagsMask));

    /// <inheritdoc />
    public override string ToString() => IsSelf ? "cap:invalid" : IsReply ? $"cap:reply{Index}" : $"cap:{Index}";
}
