using System.Runtime.CompilerServices;
using L4Re.Kernel.Abi;
using L4Re.Kernel.Objects;

namespace L4Re.Kernel.Caps;

/// <summary>
/// The object space of a task (Fiasco's <c>Obj_space</c>): capability slots indexed by the selector
/// index. Slots live in chunks of 512 allocated on first use and charged (one 4 KiB page each) to the
/// task's quota; a lookup is two array accesses.
/// </summary>
public sealed class CapSpace
{
    internal const int ChunkShift = 9;
    internal const int ChunkSize = 1 << ChunkShift;
    internal const long ChunkBytes = 4096;

    private CapSlot[]?[] _chunks = [];
    private int _used;

    internal CapSpace(L4Task owner, ulong maxIndex)
    {
        Owner = owner;
        MaxIndex = maxIndex;
    }

    /// <summary>The task owning this space.</summary>
    public L4Task Owner { get; }

    /// <summary>The number of slots (indices 0 .. MaxIndex-1); maps beyond are skipped.</summary>
    public ulong MaxIndex { get; }

    /// <summary>The number of valid capabilities in the space.</summary>
    public int Count => _used;

    /// <summary>Looks up slot <paramref name="index"/>.</summary>
    /// <returns>True when the slot holds a valid capability.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool TryLookup(ulong index, out KernelObject obj, out byte attr)
    {
        var c = index >> ChunkShift;
        var chunks = _chunks;
        if (c < (ulong)chunks.Length)
        {
            var chunk = chunks[c];
            if (chunk is not null)
            {
                ref var s = ref chunk[index & (ChunkSize - 1)];
                if (s.Obj is { } o)
                {
                    obj = o;
                    attr = s.Attr;
                    return true;
                }
            }
        }
        obj = null!;
        attr = 0;
        return false;
    }

    /// <summary>The object and rights in slot <paramref name="index"/>, or null.</summary>
    public CapabilityInfo? Lookup(ulong index) =>
        TryLookup(index, out var o, out var a) ? new CapabilityInfo(index, o, (CapRights)(a & 0xf), (byte)(a & 0xf0)) : null;

    /// <summary>The object in slot <paramref name="index"/> if it is a <typeparamref name="T"/>.</summary>
    public T? Get<T>(ulong index) where T : KernelObject => TryLookup(index, out var o, out _) ? o as T : null;

    /// <summary>All valid capabilities in index order.</summary>
    public IEnumerable<CapabilityInfo> Enumerate()
    {
        for (var c = 0; c < _chunks.Length; c++)
        {
            var chunk = _chunks[c];
            if (chunk is null)
                continue;
            for (var i = 0; i < ChunkSize; i++)
            {
                if (chunk[i].Obj is { } o)
                    yield return new CapabilityInfo(((ulong)c << ChunkShift) | (uint)i, o, chunk[i].Rights, chunk[i].Extra);
            }
        }
    }

    /// <summary>The first valid slot in [<paramref name="first"/>, <paramref name="end"/>), or <see cref="ulong.MaxValue"/>.</summary>
    internal ulong NextUsed(ulong first, ulong end)
    {
        if (end > MaxIndex)
            end = MaxIndex;
        for (var i = first; i < end;)
        {
            var c = i >> ChunkShift;
            if (c >= (ulong)_chunks.Length)
                return ulong.MaxValue;
            var chunk = _chunks[c];
            var chunkEnd = (c + 1) << ChunkShift;
            if (chunk is null)
            {
                i = chunkEnd;
                continue;
            }
            for (; i < end && i < chunkEnd; i++)
            {
                if (chunk[i & (ChunkSize - 1)].Obj is not null)
                    return i;
            }
        }
        return ulong.MaxValue;
    }

    /// <summary>True when a slot exists for <paramref name="index"/> or can be allocated.</summary>
    private ref CapSlot SlotForInsert(ulong index, out bool ok)
    {
        var c = index >> ChunkShift;
        if (c >= (ulong)_chunks.Length)
        {
            var n = Math.Max((int)c + 1, Math.Min(_chunks.Length * 2, (int)((MaxIndex + ChunkSize - 1) >> ChunkShift)));
            Array.Resize(ref _chunks, n);
        }
        var chunk = _chunks[c];
        if (chunk is null)
        {
            if (Owner.Quota is { } q && !q.TryCharge(ChunkBytes))
            {
                ok = false;
                return ref Unsafe.NullRef<CapSlot>();
            }
            chunk = _chunks[c] = new CapSlot[ChunkSize];
        }
        ok = true;
        return ref chunk[index & (ChunkSize - 1)];
    }

    /// <summary>
    /// Puts <paramref name="obj"/> into slot <paramref name="index"/> with attributes <paramref name="attr"/>
    /// (the slot must be empty). Fails when the index is out of range or the task's quota cannot pay
    /// for a new chunk.
    /// </summary>
    internal bool Insert(ulong index, KernelObject obj, byte attr)
    {
        if (index >= MaxIndex)
            return false;
        ref var s = ref SlotForInsert(index, out var ok);
        if (!ok)
            return false;
        s.Obj = obj;
        s.Attr = (byte)(attr | (byte)CapRights.R);
        _used++;
        obj.AddHolder(this, index, s.Counted);
        return true;
    }

    /// <summary>Ors attributes into a valid slot (rights upgrade on an existing capability).</summary>
    internal void AddAttributes(ulong index, byte attr)
    {
        ref var s = ref _chunks[index >> ChunkShift]![index & (ChunkSize - 1)];
        s.Attr |= (byte)(attr & 0xef);
    }

    /// <summary>Removes rights W and S (bits in <paramref name="rights"/>) from a valid slot.</summary>
    internal void RemoveRights(ulong index, CapRights rights)
    {
        ref var s = ref _chunks[index >> ChunkShift]![index & (ChunkSize - 1)];
        s.Attr &= (byte)~((byte)rights & (byte)CapRights.RWS & 0x3);
    }

    /// <summary>
    /// Removes the capability in slot <paramref name="index"/>. Returns the object, whether the slot was
    /// counted and its attributes.
    /// </summary>
    internal KernelObject? Remove(ulong index, out byte attr)
    {
        attr = 0;
        var c = index >> ChunkShift;
        if (c >= (ulong)_chunks.Length || _chunks[c] is not { } chunk)
            return null;
        ref var s = ref chunk[index & (ChunkSize - 1)];
        var o = s.Obj;
        if (o is null)
            return null;
        attr = s.Attr;
        s.Obj = null;
        s.Attr = 0;
        _used--;
        o.RemoveHolder(this, index, (attr & CapSlot.CountedBit) != 0);
        return o;
    }

    /// <summary>Clears a slot during object deletion (the object already dropped its holder list).</summary>
    internal void InvalidateSlot(ulong index, KernelObject obj)
    {
        var c = index >> ChunkShift;
        if (c >= (ulong)_chunks.Length || _chunks[c] is not { } chunk)
            return;
        ref var s = ref chunk[index & (ChunkSize - 1)];
        if (!ReferenceEquals(s.Obj, obj))
            return;
        s.Obj = null;
        s.Attr = 0;
        _used--;
    }

    /// <summary>Returns all chunk memory to the owner's quota (the task is being deleted).</summary>
    internal void ReleaseChunks()
    {
        var n = 0;
        foreach (var chunk in _chunks)
        {
            if (chunk is not null)
                n++;
        }
        _chunks = [];
        if (n > 0)
            Owner.Quota?.Refund(n * ChunkBytes);
    }

    internal int ChunkCount
    {
        get
        {
            var n = 0;
            foreach (var chunk in _chunks)
            {
                if (chunk is not null)
                    n++;
            }
            return n;
        }
    }
}

/// <summary>A valid capability as seen from outside the kernel: slot index, object, rights and object attributes.</summary>
/// <param name="Index">The slot index (selector &gt;&gt; 12).</param>
/// <param name="Object">The kernel object.</param>
/// <param name="Rights">The rights (R always set).</param>
/// <param name="Attributes">The object attributes: bit 4 counted reference, bits 5–7 object-specific rights.</param>
public readonly record struct CapabilityInfo(ulong Index, KernelObject Object, CapRights Rights, byte Attributes)
{
    /// <summary>True when the capability keeps the object alive (not a weak reference).</summary>
    public bool IsCounted => (Attributes & CapSlot.CountedBit) != 0;
}
