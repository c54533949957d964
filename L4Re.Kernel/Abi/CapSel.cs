namespace L4Re.Kernel.Abi;

/// <summary>
/// A capability selector (<c>l4_cap_idx_t</c>): a capability-space index shifted left by
/// <see cref="Shift"/> (<c>L4_CAP_SHIFT</c> = 12). The low bits carry invocation flags; bit 10 marks
/// the reply capability; <see cref="Invalid"/> is <c>~0 &lt;&lt; 11</c>.
/// </summary>
public readonly record struct CapSel(ulong Raw)
{
    /// <summary><c>L4_CAP_SHIFT</c>: selectors are capability indices shifted by 12 bits.</summary>
    public const int Shift = 12;

    /// <summary>Bit 10: the selector names the thread's reply capability (<c>L4_SYSF_REPLY</c> selector form).</summary>
    public const ulong ReplyBit = 1UL << 10;

    /// <summary>The invalid capability selector (<c>L4_INVALID_CAP</c> = <c>~0UL &lt;&lt; 11</c>).</summary>
    public static CapSel Invalid => new(~0UL << 11);

    /// <summary>Builds the selector of capability-space index <paramref name="index"/>.</summary>
    public static CapSel FromIndex(ulong index) => new(index << Shift);

    /// <summary>The capability-space index this selector names.</summary>
    public ulong Index => Raw >> Shift;

    /// <summary>True for every selector with bit 11 set, the kernel's test for an invalid capability.</summary>
    public bool IsInvalid => (Raw & (1UL << 11)) != 0;

    /// <summary>True when the selector names the reply capability.</summary>
    public bool IsReply => !IsInvalid && (Raw & ReplyBit) != 0;

    /// <inheritdoc />
    public override string ToString() => IsInvalid ? "cap:invalid" : IsReply ? "cap:reply" : $"cap:{Index}";
}
