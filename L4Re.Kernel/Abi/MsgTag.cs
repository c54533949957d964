namespace L4Re.Kernel.Abi;

/// <summary>
/// A message tag (<c>l4_msgtag_t</c>): <c>label &lt;&lt; 16 | words &amp; 0x3f | (items &amp; 0x3f) &lt;&lt; 6 | flags &amp; 0xf000</c>.
/// It describes an IPC message: its protocol label, the number of untyped words and typed items in
/// the UTCB message registers, and flags. A kernel object answers with its result (0 or a negative
/// <see cref="L4Error"/>) in the label.
/// </summary>
/// <remarks>Source: l4re-core l4sys/include/types.h; fiasco src/abi/l4_types.cpp (<c>L4_msg_tag</c>).</remarks>
public readonly record struct MsgTag(ulong Raw)
{
    /// <summary>Flag <c>L4_MSGTAG_TRANSFER_FPU</c>: transfer the FPU state with the message.</summary>
    public const uint TransferFpu = 0x1000;
    /// <summary>Flag <c>L4_MSGTAG_SCHEDULE</c>: switch partners by scheduling instead of directly; from a kernel object: "no reply".</summary>
    public const uint Schedule = 0x2000;
    /// <summary>Flag <c>L4_MSGTAG_PROPAGATE</c>.</summary>
    public const uint Propagate = 0x4000;
    /// <summary>Flag <c>L4_MSGTAG_ERROR</c>: the IPC failed, the error code is in the UTCB error word.</summary>
    public const uint Error = 0x8000;
    /// <summary>All flag bits (<c>L4_MSGTAG_FLAGS</c>).</summary>
    public const uint FlagsMask = 0xf000;
    /// <summary>The largest number of words or items a tag can describe (6 bits).</summary>
    public const uint MaxCount = 0x3f;

    /// <summary>Builds a tag as <c>l4_msgtag()</c> does, masking each field to its width.</summary>
    public MsgTag(long label, uint words, uint items, uint flags)
        : this(((ulong)label << 16) | (words & MaxCount) | ((items & MaxCount) << 6) | (flags & FlagsMask))
    {
    }

    /// <summary>Builds a tag with a protocol label (<c>l4_msgtag(L4_PROTO_..., words, items, flags)</c>).</summary>
    public static MsgTag Of(ProtocolLabel label, uint words, uint items = 0, uint flags = 0) => new((long)label, words, items, flags);

    /// <summary>The result tag of a kernel object: <c>commit_result(result, words, items)</c>.</summary>
    public static MsgTag Result(long result, uint words = 0, uint items = 0) => new(result, words, items, 0);

    /// <summary>The result tag carrying a negated generic error: <c>commit_result(-error)</c>.</summary>
    public static MsgTag FromError(L4Error error) => new(-(long)error, 0, 0, 0);

    /// <summary>A tag with only the error flag set (<c>L4_msg_tag(0, 0, Error, 0)</c>): see the UTCB error word.</summary>
    public static MsgTag IpcFailed => new(0, 0, 0, Error);

    /// <summary>The "no reply" answer of a kernel object: only <see cref="Schedule"/> set.</summary>
    public static MsgTag NoReply => new(0, 0, 0, Schedule);

    /// <summary>The protocol label (signed, bits 16 and up).</summary>
    public long Label => (long)Raw >> 16;

    /// <summary>The number of untyped message words (bits 0–5).</summary>
    public uint Words => (uint)(Raw & MaxCount);

    /// <summary>The number of typed items, two words each (bits 6–11).</summary>
    public uint Items => (uint)((Raw >> 6) & MaxCount);

    /// <summary>The flag bits (bits 12–15).</summary>
    public uint Flags => (uint)(Raw & FlagsMask);

    /// <summary>True when the error flag is set.</summary>
    public bool HasError => (Raw & Error) != 0;

    /// <summary>True unless <see cref="Schedule"/> is set (Fiasco's <c>do_switch()</c>).</summary>
    public bool DoSwitch => (Raw & Schedule) == 0;

    /// <summary>True when the FPU state shall be transferred.</summary>
    public bool TransfersFpu => (Raw & TransferFpu) != 0;

    /// <summary>The label read as a protocol label.</summary>
    public ProtocolLabel Protocol => (ProtocolLabel)Label;

    /// <summary>The label read as a generic L4 error of a kernel-object reply (0 when the label is not negative).</summary>
    public L4Error ResultError => Label < 0 ? (L4Error)(-Label) : L4Error.Ok;

    /// <summary>This tag with its flag bits replaced.</summary>
    public MsgTag WithFlags(uint flags) => new((Raw & ~(ulong)FlagsMask) | (flags & FlagsMask));

    /// <summary>This tag with the error flag set or cleared.</summary>
    public MsgTag WithError(bool error) => new(error ? Raw | Error : Raw & ~(ulong)Error);

    /// <inheritdoc />
    public override string ToString() => $"[label={Label} words={Words} items={Items} flags=0x{Flags:x}]";
}
