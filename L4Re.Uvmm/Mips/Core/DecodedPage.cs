namespace L4Re.Uvmm.Mips;

/// <summary>
/// The decoded-instruction cache of one 4 KiB guest-physical page: 1024 slots decoded lazily on first
/// execution. While a page is registered, stores to it take the slow path and invalidate the slots they
/// hit; CACHE and SYNCI invalidate lines. A page written too often is dropped (it is data now) and
/// re-registered when executed again.
/// </summary>
internal sealed unsafe class DecodedPage
{
    public const int Slots = 1024;

    /// <summary>Stores to a registered page after which it is dropped from the code cache.</summary>
    public const int WriteLimit = 256;

    // One slot more than the page holds: the PageEnd sentinel lets sequential execution advance without a bounds check.
    private readonly DecodedInsn[] _slots = GC.AllocateArray<DecodedInsn>(Slots + 1, pinned: true);

    public DecodedPage(uint gpn, byte* host)
    {
        Gpn = gpn;
        Host = host;
        fixed (DecodedInsn* p = _slots)
            Insns = p;
        _slots[Slots].Op = Op.PageEnd;
    }

    /// <summary>Guest-physical page number.</summary>
    public uint Gpn { get; }

    /// <summary>Host address of the page.</summary>
    public byte* Host { get; }

    /// <summary>The slots (pinned), followed by a <see cref="Op.PageEnd"/> sentinel.</summary>
    public DecodedInsn* Insns { get; }

    /// <summary>Whether the page is in the core's code table (stores to it are watched).</summary>
    public bool Registered { get; set; }

    /// <summary>Stores seen since registration.</summary>
    public int WriteHits { get; set; }

    /// <summary>Marks every slot undecoded.</summary>
    public void Clear() => new Span<DecodedInsn>(Insns, Slots).Clear();

    /// <summary>Marks the slots covering [<paramref name="offset"/>, <paramref name="offset"/> + <paramref name="length"/>) undecoded.</summary>
    public void Clear(uint offset, uint length)
    {
        var first = (int)(offset >> 2);
        var last = (int)Math.Min(Slots - 1, (offset + length - 1) >> 2);
        for (var i = first; i <= last; i++)
            Insns[i].Op = Op.Undecoded;
    }
}
