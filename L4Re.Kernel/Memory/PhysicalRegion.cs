using L4Re.Kernel.Objects;

namespace L4Re.Kernel.Memory;

/// <summary>One dataspace placed in physical memory, as RAM or I/O memory.</summary>
public sealed class PhysicalRegion
{
    internal MappingNode?[] Roots;
    private object?[]? _owners;

    internal PhysicalRegion(ulong physicalBase, Dataspace dataspace, PhysicalMemoryKind kind)
    {
        Base = physicalBase;
        Dataspace = dataspace;
        Kind = kind;
        Roots = new MappingNode?[dataspace.Pages];
    }

    /// <summary>The physical start address.</summary>
    public ulong Base { get; }

    /// <summary>The dataspace holding the region's bytes.</summary>
    public Dataspace Dataspace { get; }

    /// <summary>RAM or I/O memory.</summary>
    public PhysicalMemoryKind Kind { get; }

    /// <summary>True while the region is placed (false after <see cref="PhysicalMemory.Remove"/>).</summary>
    public bool IsPlaced { get; private set; } = true;

    /// <summary>The end address (exclusive).</summary>
    public ulong End => Base + (ulong)Dataspace.Size;

    internal ulong FirstPage => Base >> 12;

    internal ulong PageCount => (ulong)Dataspace.Pages;

    /// <summary>Who holds frame <paramref name="index"/>: a sigma0 client, a claiming task (null once it is deleted), or nobody.</summary>
    internal object? OwnerAt(long index)
    {
        var o = _owners?[index];
        return o is L4Task { IsDeleted: true } ? null : o;
    }

    internal void SetOwner(long index, object? owner)
    {
        if (owner is null && _owners is null)
            return;
        (_owners ??= new object?[Roots.Length])[index] = owner;
    }

    internal int CountOwned(Func<object, bool> match)
    {
        var n = 0;
        for (var i = 0; i < Roots.Length; i++)
        {
            if (OwnerAt(i) is { } o && match(o))
                n++;
        }
        return n;
    }

    /// <summary>The region left physical memory: its frames have no roots and no owners any more.</summary>
    internal void Detach()
    {
        IsPlaced = false;
        Roots = new MappingNode?[Roots.Length];
        _owners = null;
    }

    /// <inheritdoc />
    public override string ToString() => $"[0x{Base:x}, 0x{End:x}) {Dataspace.Name}{(Kind == PhysicalMemoryKind.IoMemory ? " (I/O memory)" : "")}";
}
