using L4Re.Kernel.Memory;

namespace L4Re.Uvmm.Vmm;

/// <summary>
/// The guest's RAM (uvmm: <c>Vmm::Vm_ram</c>): dataspaces placed at guest-physical addresses, normally one per
/// <c>device_type = "memory"</c> <c>reg</c> entry. The VMM maps these dataspaces into the kernel Vm object
/// (the second translation stage); the host side reads and writes them in place through spans.
/// </summary>
public sealed class GuestRam
{
    private readonly List<RamRegion> _regions = [];

    /// <summary>The regions sorted by guest-physical address.</summary>
    public IReadOnlyList<RamRegion> Regions => _regions;

    /// <summary>The total RAM size in bytes.</summary>
    public ulong Size => (ulong)_regions.Sum(r => (long)r.Size);

    /// <summary>Adds a region.</summary>
    /// <param name="guestPhysical">Page-aligned guest-physical address.</param>
    /// <param name="dataspace">The backing dataspace.</param>
    /// <param name="name">Name for diagnostics.</param>
    /// <returns>The region.</returns>
    /// <exception cref="ArgumentException">The address is not page-aligned or the region overlaps another.</exception>
    public RamRegion Add(ulong guestPhysical, Dataspace dataspace, string name)
    {
        ArgumentNullException.ThrowIfNull(dataspace);
        if (guestPhysical % Dataspace.PageSize != 0)
            throw new ArgumentException($"RAM region {name} at 0x{guestPhysical:x} is not page-aligned", nameof(guestPhysical));
        var region = new RamRegion(guestPhysical, dataspace, name);
        if (region.Size > ulong.MaxValue - guestPhysical)
            throw new ArgumentException($"RAM region {name} wraps around the address space", nameof(guestPhysical));
        foreach (var r in _regions)
        {
            if (region.GuestPhysical < r.End && r.GuestPhysical < region.End)
                throw new ArgumentException($"RAM region {region} overlaps {r}", nameof(guestPhysical));
        }
        _regions.Add(region);
        _regions.Sort((a, b) => a.GuestPhysical.CompareTo(b.GuestPhysical));
        return region;
    }

    /// <summary>The region containing <c>[address, address + length)</c> entirely, or null.</summary>
    /// <param name="address">Guest-physical address.</param>
    /// <param name="length">Length in bytes.</param>
    public RamRegion? Find(ulong address, ulong length = 1)
    {
        foreach (var r in _regions)
        {
            if (r.Contains(address, length))
                return r;
        }
        return null;
    }

    /// <summary>Guest RAM at <c>[address, address + length)</c> as a span over the host memory.</summary>
    /// <param name="address">Guest-physical address.</param>
    /// <param name="length">Length in bytes.</param>
    /// <exception cref="GuestMemoryException">The range is not inside one RAM region.</exception>
    public Span<byte> GetSpan(ulong address, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var r = Find(address, (ulong)Math.Max(length, 1))
            ?? throw new GuestMemoryException($"guest-physical range [0x{address:x}, +0x{length:x}) is not inside guest RAM ({Describe()})");
        return r.Dataspace.Span.Slice((int)(address - r.GuestPhysical), length);
    }

    /// <summary>Copies <paramref name="data"/> into guest RAM.</summary>
    /// <param name="address">Guest-physical destination.</param>
    /// <param name="data">The bytes.</param>
    /// <exception cref="GuestMemoryException">The range is not inside one RAM region.</exception>
    public void Write(ulong address, ReadOnlySpan<byte> data) => data.CopyTo(GetSpan(address, data.Length));

    /// <summary>Fills guest RAM with zeros (a segment's BSS).</summary>
    /// <param name="address">Guest-physical start.</param>
    /// <param name="length">Length in bytes.</param>
    /// <exception cref="GuestMemoryException">The range is not inside one RAM region.</exception>
    public void Clear(ulong address, long length)
    {
        while (length > 0)
        {
            var chunk = (int)Math.Min(length, 1 << 30);
            GetSpan(address, chunk).Clear();
            address += (ulong)chunk;
            length -= chunk;
        }
    }

    /// <summary>Copies guest RAM into <paramref name="destination"/>.</summary>
    /// <param name="address">Guest-physical source.</param>
    /// <param name="destination">The buffer.</param>
    /// <exception cref="GuestMemoryException">The range is not inside one RAM region.</exception>
    public void Read(ulong address, Span<byte> destination) => GetSpan(address, destination.Length).CopyTo(destination);

    private string Describe() => _regions.Count == 0 ? "no RAM" : string.Join(", ", _regions);
}
