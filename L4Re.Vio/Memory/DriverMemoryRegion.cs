using L4Re.Kernel.Memory;

namespace L4Re.Vio.Memory;

/// <summary>
/// One region of driver memory a device may access: a window of driver (guest-physical) addresses
/// backed by part of a <see cref="Dataspace"/>. Modelled on l4virtio's <c>Driver_mem_region</c>
/// (kernkonzept/l4virtio, include/server/l4virtio): the driver registers a dataspace at a base address
/// and the device translates every descriptor address through the region list.
/// </summary>
public sealed class DriverMemoryRegion
{
    /// <summary>Creates a region; every argument is checked (this is host configuration, not guest input).</summary>
    /// <param name="driverBase">The driver address of the first byte (page aligned, as l4virtio truncates it to a page).</param>
    /// <param name="size">The size in bytes (a positive multiple of the page size).</param>
    /// <param name="dataspace">The backing dataspace.</param>
    /// <param name="dataspaceOffset">The offset of the region in the dataspace (page aligned).</param>
    /// <param name="writable">Whether the device may write (l4virtio's <c>rw</c> region flag).</param>
    /// <exception cref="ArgumentNullException"><paramref name="dataspace"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An address, size or offset is unaligned or out of range.</exception>
    public DriverMemoryRegion(ulong driverBase, long size, Dataspace dataspace, long dataspaceOffset = 0, bool writable = true)
    {
        ArgumentNullException.ThrowIfNull(dataspace);
        if (driverBase % Dataspace.PageSize != 0)
            throw new ArgumentOutOfRangeException(nameof(driverBase), driverBase, "the driver base address must be page aligned");
        if (size <= 0 || size % Dataspace.PageSize != 0)
            throw new ArgumentOutOfRangeException(nameof(size), size, "the region size must be a positive multiple of the page size");
        if (dataspaceOffset < 0 || dataspaceOffset % Dataspace.PageSize != 0)
            throw new ArgumentOutOfRangeException(nameof(dataspaceOffset), dataspaceOffset, "the dataspace offset must be a page-aligned, non-negative value");
        if (dataspaceOffset > dataspace.Size - size)
            throw new ArgumentOutOfRangeException(nameof(size), size, $"offset {dataspaceOffset} + size {size} exceeds dataspace '{dataspace.Name}' ({dataspace.Size} bytes)");
        if (ulong.MaxValue - driverBase < (ulong)size - 1)
            throw new ArgumentOutOfRangeException(nameof(driverBase), driverBase, "the region wraps around the end of the address space");
        DriverBase = driverBase;
        Size = size;
        Dataspace = dataspace;
        DataspaceOffset = dataspaceOffset;
        Writable = writable;
    }

    /// <summary>The driver address of the first byte.</summary>
    public ulong DriverBase { get; }

    /// <summary>The driver address of the last byte (inclusive).</summary>
    public ulong DriverLast => DriverBase + (ulong)Size - 1;

    /// <summary>The size in bytes.</summary>
    public long Size { get; }

    /// <summary>The backing dataspace.</summary>
    public Dataspace Dataspace { get; }

    /// <summary>The offset of the region's first byte in <see cref="Dataspace"/>.</summary>
    public long DataspaceOffset { get; }

    /// <summary>Whether the device may write to the region.</summary>
    public bool Writable { get; }

    /// <summary>
    /// Whether <c>[address, address + length)</c> lies entirely inside the region, computed without
    /// overflow (the same checks as l4virtio's <c>Driver_mem_region::contains</c>).
    /// </summary>
    public bool Contains(ulong address, ulong length)
    {
        if (address < DriverBase)
            return false;
        var rel = address - DriverBase;
        var size = (ulong)Size;
        return rel < size && length <= size - rel;
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"[{DriverBase:x}-{DriverLast:x}] -> {Dataspace.Name}+{DataspaceOffset:x}{(Writable ? " rw" : " ro")}";
}
