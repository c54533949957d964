namespace L4Re.Kernel.Abi;

/// <summary>
/// A message tag (<c>l4_msgtag_t</c>): <c>label &lt;&lt; 16 | words &amp; 0x3f | (items &amp; 0x3f) &lt;&lt; 6 | flags &amp; 0xf000</c>.
/// It describes an IPC message: its protocol label, the number of untyped words and typed items in
/// the UTCB message registers, and flags.
/// </summary>
public readonly record struct MsgTag(ulong Raw)
{
    /// <summary>Flag <c>L4_MSGTAG_TRANSFER_FPU</c>.</summary>
    public const uint TransferFpu = 0x1000;
    /// <summary>Flag <c>L4_MSGTAG_SCHEDULE</c>.</summary>
    public const uint Schedule = 0x2000;
    /// <summary>Flag <c>L4_MSGTAG_PROPAGATE</c>.</summary>
    public const uint Propagate = 0x4000;
    /// <summary>Flag <c>L4_MSGTAG_ERROR</c>: the IPC failed, the error code is in the UTCB error word.</summary>
    public const uint Error = 0x8000;

    /// <summary>Builds a tag as <c>l4_msgtag()</c> does, masking each field to its width.</summary>
    public MsgTag(long label, uint words, uint items, uint flags)
        : this(((ulong)label << 16) | (words & 0x3f) | ((items & 0x3f) << 6) | (flags & 0xf000))
    {
    }

    /// <summary>The protocol label (signed, bits 16 and up).</summary>
    public long Label => (long)Raw >> 16;

    /// <summary>The number of untyped message words (bits 0–5).</summary>
    public uint Words => (uint)(Raw & 0x3f);

    /// <summary>The number of typed items, two words each (bits 6–11).</summary>
    public uint Items => (uint)((Raw >> 6) & 0x3f);

    /// <summary>The flag bits (bits 12–15).</summary>
    public uint Flags => (uint)(Raw & 0xf000);

    /// <summary>True when the error flag is set.</summary>
    public bool HasError => (Raw & Error) != 0;

    /// <summary>The label read as a protocol label.</summary>
    public ProtocolLabel Protocol => (ProtocolLabel)Label;

    /// <inheritdoc />
    public override string ToString() => $"[label={Label} words={Words} items={Items} flags=0x{Flags:x}]";
}
