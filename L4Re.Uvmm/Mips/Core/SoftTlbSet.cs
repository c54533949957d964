namespace L4Re.Uvmm.Mips;

/// <summary>
/// The software TLB of one privilege context (kernel, or user/supervisor): direct-mapped read and write
/// tables of host pointers plus an execute table of decoded pages. Entries are valid for one translation
/// context (<see cref="Key"/>: mode, ERL, ASID, AT); the core flushes a set when its key changes, when the
/// guest TLB changes, and when the second stage changes.
/// </summary>
internal sealed unsafe class SoftTlbSet
{
    public const int Bits = 8;
    public const int Size = 1 << Bits;
    public const uint IndexMask = Size - 1;

    private readonly SoftTlbEntry[] _read = GC.AllocateArray<SoftTlbEntry>(Size, pinned: true);
    private readonly SoftTlbEntry[] _write = GC.AllocateArray<SoftTlbEntry>(Size, pinned: true);

    public SoftTlbSet()
    {
        fixed (SoftTlbEntry* r = _read)
            Read = r;
        fixed (SoftTlbEntry* w = _write)
            Write = w;
        Flush();
    }

    /// <summary>Load translations (pinned: the pointer stays valid).</summary>
    public SoftTlbEntry* Read { get; }

    /// <summary>Store translations; never for pages holding decoded code.</summary>
    public SoftTlbEntry* Write { get; }

    /// <summary>Execute translations: virtual page tags and their decoded pages.</summary>
    public uint[] ExecTag { get; } = new uint[Size];

    /// <summary>Decoded page per execute entry.</summary>
    public DecodedPage?[] ExecPage { get; } = new DecodedPage?[Size];

    /// <summary>The translation context the entries belong to (ulong.MaxValue: none yet).</summary>
    public ulong Key { get; set; } = ulong.MaxValue;

    public void Flush()
    {
        for (var i = 0; i < Size; i++)
        {
            Read[i].Tag = SoftTlbEntry.InvalidTag;
            Write[i].Tag = SoftTlbEntry.InvalidTag;
        }
        Array.Fill(ExecTag, SoftTlbEntry.InvalidTag);
        Array.Clear(ExecPage);
    }

    /// <summary>Drops every translation of a virtual page in [<paramref name="va"/>, <paramref name="va"/> + <paramref name="size"/>).</summary>
    public void FlushRange(uint va, uint size)
    {
        for (var i = 0; i < Size; i++)
        {
            if (Read[i].Tag - va < size)
                Read[i].Tag = SoftTlbEntry.InvalidTag;
            if (Write[i].Tag - va < size)
                Write[i].Tag = SoftTlbEntry.InvalidTag;
            if (ExecTag[i] - va < size)
            {
                ExecTag[i] = SoftTlbEntry.InvalidTag;
                ExecPage[i] = null;
            }
        }
    }

    /// <summary>Drops store translations to guest-physical page <paramref name="gpn"/> (it now holds decoded code).</summary>
    public void FlushWrites(uint gpn)
    {
        for (var i = 0; i < Size; i++)
        {
            if (Write[i].Gpn == gpn)
                Write[i].Tag = SoftTlbEntry.InvalidTag;
        }
    }

    /// <summary>Drops execute translations to <paramref name="page"/>.</summary>
    public void FlushExec(DecodedPage page)
    {
        for (var i = 0; i < Size; i++)
        {
            if (ReferenceEquals(ExecPage[i], page))
            {
                ExecTag[i] = SoftTlbEntry.InvalidTag;
                ExecPage[i] = null;
            }
        }
    }
}
