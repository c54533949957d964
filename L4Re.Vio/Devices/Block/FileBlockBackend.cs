using Microsoft.Win32.SafeHandles;

namespace L4Re.Vio.Devices.Block;

/// <summary>A block backend on a host file (a disk image), using positional I/O (<see cref="RandomAccess"/>).</summary>
public sealed class FileBlockBackend : IBlockBackend, IDisposable
{
    private readonly SafeFileHandle _handle;

    /// <summary>Opens the image at <paramref name="path"/>.</summary>
    /// <exception cref="IOException">The file cannot be opened.</exception>
    public FileBlockBackend(string path, bool readOnly = false)
    {
        _handle = File.OpenHandle(path, FileMode.Open, readOnly ? FileAccess.Read : FileAccess.ReadWrite, FileShare.Read);
        IsReadOnly = readOnly;
        Length = RandomAccess.GetLength(_handle);
        Path = path;
    }

    /// <summary>The image path.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public long Length { get; }

    /// <inheritdoc />
    public bool IsReadOnly { get; }

    /// <inheritdoc />
    public bool TryRead(long offset, Span<byte> destination)
    {
        if (offset < 0 || offset > Length - destination.Length)
            return false;
        try
        {
            var done = 0;
            while (done < destination.Length)
            {
                var n = RandomAccess.Read(_handle, destination[done..], offset + done);
                if (n <= 0)
                    return false;
                done += n;
            }
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public bool TryWrite(long offset, ReadOnlySpan<byte> source)
    {
        if (IsReadOnly || offset < 0 || offset > Length - source.Length)
            return false;
        try
        {
            RandomAccess.Write(_handle, source, offset);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public bool TryFlush()
    {
        if (IsReadOnly)
            return true;
        try
        {
            RandomAccess.FlushToDisk(_handle);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _handle.Dispose();
}
