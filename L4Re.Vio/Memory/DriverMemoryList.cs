using L4Re.Kernel.Memory;

namespace L4Re.Vio.Memory;

/// <summary>
/// The driver memory a device may access: the list of registered <see cref="DriverMemoryRegion"/>s
/// (l4virtio's <c>Driver_mem_list</c>). Every descriptor address and length a device uses is translated
/// here with full bounds checks; nothing outside a registered region is ever reached. A VMM registers
/// guest RAM; an l4virtio client registers the dataspaces it shares with the device (at most
/// <see cref="Capacity"/>, the switch's <c>ds-max</c>).
/// </summary>
/// <remarks>Not thread-safe: register regions before devices run, or under the device's lock.</remarks>
public sealed class DriverMemoryList
{
    private readonly List<DriverMemoryRegion> _regions = [];
    // The region of the last successful lookup: consecutive descriptors of a queue almost always lie in the
    // same region, so most lookups compare against it and never walk the list. Cleared when a region is removed.
    private DriverMemoryRegion? _lastHit;

    /// <summary>Creates an empty list that accepts at most <paramref name="capacity"/> regions.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is not positive.</exception>
    public DriverMemoryList(int capacity = 80)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
    }

    /// <summary>The maximum number of regions (l4vio_switch's <c>ds-max</c>, 1–80; l4virtio's list size).</summary>
    public int Capacity { get; }

    /// <summary>The registered regions.</summary>
    public IReadOnlyList<DriverMemoryRegion> Regions => _regions;

    /// <summary>Increments whenever a region is added or removed, so cached translations can be revalidated.</summary>
    public int Version { get; private set; }

    /// <summary>Optional observer of every device translation (for tests and tracing).</summary>
    public IDriverMemoryObserver? Observer { get; set; }

    /// <summary>Registers a region.</summary>
    /// <exception cref="InvalidOperationException">The list is full or the region overlaps a registered one.</exception>
    public DriverMemoryRegion Add(DriverMemoryRegion region)
    {
        ArgumentNullException.ThrowIfNull(region);
        if (_regions.Count >= Capacity)
            throw new InvalidOperationException($"driver memory list is full ({Capacity} regions)");
        foreach (var r in _regions)
        {
            if (region.DriverBase <= r.DriverLast && r.DriverBase <= region.DriverLast)
                throw new InvalidOperationException($"region {region} overlaps {r}");
        }
        _regions.Add(region);
        Version++;
        return region;
    }

    /// <summary>Registers <paramref name="size"/> bytes of <paramref name="dataspace"/> at driver address <paramref name="driverBase"/>.</summary>
    /// <exception cref="InvalidOperationException">The list is full or the region overlaps a registered one.</exception>
    public DriverMemoryRegion Add(ulong driverBase, long size, Dataspace dataspace, long dataspaceOffset = 0, bool writable = true) =>
        Add(new DriverMemoryRegion(driverBase, size, dataspace, dataspaceOffset, writable));

    /// <summary>Removes a region; devices revalidate their queues before the next access.</summary>
    public bool Remove(DriverMemoryRegion region)
    {
        if (!_regions.Remove(region))
            return false;
        _lastHit = null;
        Version++;
        return true;
    }

    /// <summary>The region that contains <c>[address, address + length)</c> entirely, or null.</summary>
    public DriverMemoryRegion? Find(ulong address, ulong length)
    {
        var hit = _lastHit;
        if (hit is not null && hit.Contains(address, length))
            return hit;
        return FindInList(address, length);
    }

    private DriverMemoryRegion? FindInList(ulong address, ulong length)
    {
        foreach (var region in _regions)
        {
            if (region.Contains(address, length))
            {
                _lastHit = region;
                return region;
            }
        }
        return null;
    }

    /// <summary>
    /// Translates <c>[address, address + length)</c> for a device access. Fails (returns false) when the
    /// window is not inside one registered region, or when <paramref name="write"/> is requested and the
    /// region is read-only. Zero-length windows translate to an empty buffer without a lookup.
    /// </summary>
    public bool TryTranslate(ulong address, uint length, bool write, out GuestBuffer buffer)
    {
        if (length == 0)
        {
            buffer = default;
            return true;
        }
        var region = Find(address, length);
        if (region is null || (write && !region.Writable))
        {
            buffer = default;
            return false;
        }
        Observer?.OnTranslate(address, length, write);
        var offset = (int)(region.DataspaceOffset + (long)(address - region.DriverBase));
        buffer = new GuestBuffer(region.Dataspace, offset, (int)length, address, write);
        return true;
    }

    /// <summary>
    /// Host-side (driver) access to driver memory, for driver helpers and tests: not observed, and
    /// throws on a bad address because the caller is trusted code.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The window is not inside one registered region.</exception>
    public Span<byte> DriverSpan(ulong address, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length == 0)
            return default;
        var region = Find(address, (ulong)length)
            ?? throw new ArgumentOutOfRangeException(nameof(address), $"[{address:x}+{length}] is not inside registered driver memory");
        return region.Dataspace.Span.Slice((int)(region.DataspaceOffset + (long)(address - region.DriverBase)), length);
    }
}
