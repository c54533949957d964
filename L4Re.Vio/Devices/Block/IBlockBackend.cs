namespace L4Re.Vio.Devices.Block;

/// <summary>
/// The storage behind a <see cref="VirtioBlockDevice"/>. Methods report failure by returning false (the
/// device answers VIRTIO_BLK_S_IOERR); they never throw for I/O errors.
/// </summary>
public interface IBlockBackend
{
    /// <summary>The size in bytes (the device exposes whole 512-byte sectors).</summary>
    long Length { get; }

    /// <summary>Whether the storage refuses writes.</summary>
    bool IsReadOnly { get; }

    /// <summary>Reads <paramref name="destination"/>.Length bytes at byte <paramref name="offset"/>.</summary>
    bool TryRead(long offset, Span<byte> destination);

    /// <summary>Writes <paramref name="source"/> at byte <paramref name="offset"/>.</summary>
    bool TryWrite(long offset, ReadOnlySpan<byte> source);

    /// <summary>Makes written data durable.</summary>
    bool TryFlush();
}
