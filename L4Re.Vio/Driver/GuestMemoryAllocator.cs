namespace L4Re.Vio.Driver;

/// <summary>
/// A bump allocator over a range of driver addresses, for the driver side to place virtqueues and
/// buffers (a native program or a test; a guest OS has its own allocator).
/// </summary>
public sealed class GuestMemoryAllocator
{
    private ulong _next;

    /// <summary>Allocates from <c>[start, start + size)</c>.</summary>
    public GuestMemoryAllocator(ulong start, ulong size)
    {
        Start = start;
        End = start + size;
        _next = start;
    }

    /// <summary>The first address of the range.</summary>
    public ulong Start { get; }

    /// <summary>The address after the range.</summary>
    public ulong End { get; }

    /// <summary>The next free address.</summary>
    public ulong Next => _next;

    /// <summary>Allocates <paramref name="size"/> bytes aligned to <paramref name="alignment"/> (a power of two).</summary>
    /// <exception cref="InvalidOperationException">The range is exhausted.</exception>
    public ulong Allocate(ulong size, ulong alignment = 16)
    {
        if (alignment == 0 || (alignment & (alignment - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(alignment), alignment, "alignment must be a power of two");
        var address = (_next + alignment - 1) & ~(alignment - 1);
        if (address < _next || address > End || size > End - address)
            throw new InvalidOperationException($"driver memory [{Start:x}-{End:x}) exhausted allocating {size} bytes");
        _next = address + size;
        return address;
    }
}
