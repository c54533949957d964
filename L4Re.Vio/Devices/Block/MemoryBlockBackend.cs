namespace L4Re.Vio.Devices.Block;

/// <summary>A block backend in host memory (a RAM disk, or an image loaded into memory).</summary>
public sealed class MemoryBlockBackend : IBlockBackend
{
    private readonly byte[] _data;

    /// <summary>Creates a zero-filled disk of <paramref name="length"/> bytes.</summary>
    public MemoryBlockBackend(int length, bool readOnly = false)
        : this(new byte[length], readOnly)
    {
    }

    /// <summary>Uses <paramref name="data"/> as the disk contents (not copied).</summary>
    public MemoryBlockBackend(byte[] data, bool readOnly = false)
    {
        ArgumentNullException.ThrowIfNull(data);
        _data = data;
        IsReadOnly = readOnly;
    }

    /// <summary>The disk contents.</summary>
    public Span<byte> Data => _data;

    /// <inheritdoc />
    public long Length => _data.Length;

    /// <inheritdoc />
    public bool IsReadOnly { get; }

    /// <summary>How many flushes were requested.</summary>
    public int Flushes { get; private set; }

    /// <inheritdoc />
    public bool TryRead(long offset, Span<byte> destination)
    {
        if (offset < 0 || offset > _data.Length - destination.Length)
            return false;
        _data.AsSpan((int)offset, destination.Length).CopyTo(destination);
        return true;
    }

    /// <inheritdoc />
    public bool TryWrite(long offset, ReadOnlySpan<byte> source)
    {
        if (IsReadOnly || offset < 0 || offset > _data.Length - source.Length)
            return false;
        source.CopyTo(_data.AsSpan((int)offset));
        return true;
    }

    /// <inheritdoc />
    public bool TryFlush()
    {
        Flushes++;
        return true;
    }
}
