namespace L4Re.Uvmm.Vmm;

/// <summary>
/// The VMM's map of emulated guest-physical ranges (uvmm: the <c>Vm_mem</c> region map of
/// <c>Region_type::Virtual</c> entries): a GPA exit whose address falls into a region is dispatched to the
/// region's <see cref="IMmioDevice"/>. Lookups are a binary search over a sorted array plus a one-entry
/// cache and allocate nothing.
/// </summary>
public sealed class MmioBus
{
    private MmioRegion[] _regions = [];
    private MmioRegion? _last;

    /// <summary>The regions sorted by start address.</summary>
    public IReadOnlyList<MmioRegion> Regions => _regions;

    /// <summary>Registers a device for <c>[start, start + size)</c>.</summary>
    /// <param name="start">Guest-physical start.</param>
    /// <param name="size">Size in bytes.</param>
    /// <param name="device">The device.</param>
    /// <param name="name">Name for diagnostics.</param>
    /// <returns>The region.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The size is zero or the range wraps.</exception>
    /// <exception cref="InvalidOperationException">The range overlaps a registered region.</exception>
    public MmioRegion Add(ulong start, ulong size, IMmioDevice device, string name)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (size == 0 || size > ulong.MaxValue - start)
            throw new ArgumentOutOfRangeException(nameof(size), $"MMIO region {name} at 0x{start:x} has an invalid size 0x{size:x}");
        foreach (var r in _regions)
        {
            if (start < r.End && r.Start < start + size)
                throw new InvalidOperationException($"MMIO region {name} [0x{start:x}, 0x{start + size:x}) overlaps {r}");
        }
        var region = new MmioRegion(start, size, device, name);
        _regions = [.. _regions.Append(region).OrderBy(r => r.Start)];
        _last = null;
        return region;
    }

    /// <summary>Removes a region.</summary>
    /// <param name="region">A region returned by <see cref="Add"/>.</param>
    /// <returns>True when it was registered.</returns>
    public bool Remove(MmioRegion region)
    {
        var before = _regions.Length;
        _regions = [.. _regions.Where(r => !ReferenceEquals(r, region))];
        _last = null;
        return _regions.Length != before;
    }

    /// <summary>Finds the region containing the whole access.</summary>
    /// <param name="address">Guest-physical address.</param>
    /// <param name="length">Access length in bytes (1 for a plain lookup).</param>
    /// <returns>The region or null.</returns>
    public MmioRegion? Find(ulong address, ulong length = 1)
    {
        var last = _last;
        if (last is not null && last.Contains(address, length))
            return last;
        var regions = _regions;
        int lo = 0, hi = regions.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var r = regions[mid];
            if (address < r.Start)
                hi = mid - 1;
            else if (address - r.Start >= r.Size)
                lo = mid + 1;
            else
            {
                if (!r.Contains(address, length))
                    return null;
                _last = r;
                return r;
            }
        }
        return null;
    }

    /// <summary>Reads from the device at <paramref name="address"/>.</summary>
    /// <param name="address">Guest-physical address.</param>
    /// <param name="width">Access width.</param>
    /// <param name="vcpu">Accessing vCPU id.</param>
    /// <param name="value">The value read, zero-extended.</param>
    /// <returns>False when no region covers the access (uvmm halts the VM: "Bad page fault").</returns>
    public bool TryRead(ulong address, MmioWidth width, int vcpu, out ulong value)
    {
        var r = Find(address, (ulong)width);
        if (r is null)
        {
            value = 0;
            return false;
        }
        value = r.Device.Read(address - r.Start, width, vcpu) & width.Mask();
        return true;
    }

    /// <summary>Writes to the device at <paramref name="address"/>.</summary>
    /// <param name="address">Guest-physical address.</param>
    /// <param name="width">Access width.</param>
    /// <param name="value">The value (masked to the width).</param>
    /// <param name="vcpu">Accessing vCPU id.</param>
    /// <returns>False when no region covers the access.</returns>
    public bool TryWrite(ulong address, MmioWidth width, ulong value, int vcpu)
    {
        var r = Find(address, (ulong)width);
        if (r is null)
            return false;
        r.Device.Write(address - r.Start, width, value & width.Mask(), vcpu);
        return true;
    }
}
