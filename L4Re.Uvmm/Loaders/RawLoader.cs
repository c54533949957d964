using L4Re.Uvmm.Vmm;

namespace L4Re.Uvmm.Loaders;

/// <summary>
/// Loads a raw binary (a kernel <c>Image</c>, a boot stub, an initrd) at a physical address (uvmm
/// <c>binary_loader_raw.cc</c>; ARCH-mips <c>binary_loader_raw.h</c> starts a raw MIPS kernel at its kseg0
/// load address).
/// </summary>
public static class RawLoader
{
    /// <summary>Copies a file into guest RAM.</summary>
    /// <param name="ram">Guest RAM.</param>
    /// <param name="path">The file.</param>
    /// <param name="guestPhysical">Where to put it.</param>
    /// <param name="entryPoint">The entry point, or null for the kseg0 address of <paramref name="guestPhysical"/>.</param>
    /// <exception cref="LoaderException">The file cannot be read or does not fit guest RAM.</exception>
    public static LoadedImage Load(GuestRam ram, string path, ulong guestPhysical, uint? entryPoint = null)
    {
        byte[] data;
        try
        {
            data = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or OutOfMemoryException)
        {
            throw new LoaderException($"cannot read {path}: {e.Message}", e);
        }
        return Load(ram, data, guestPhysical, Path.GetFileName(path), entryPoint);
    }

    /// <summary>Copies bytes into guest RAM.</summary>
    /// <param name="ram">Guest RAM.</param>
    /// <param name="data">The bytes.</param>
    /// <param name="guestPhysical">Where to put them.</param>
    /// <param name="name">Name for diagnostics.</param>
    /// <param name="entryPoint">The entry point, or null for the kseg0 address of <paramref name="guestPhysical"/>.</param>
    /// <exception cref="LoaderException">The data does not fit guest RAM.</exception>
    public static LoadedImage Load(GuestRam ram, ReadOnlySpan<byte> data, ulong guestPhysical, string name, uint? entryPoint = null)
    {
        try
        {
            ram.Write(guestPhysical, data);
        }
        catch (GuestMemoryException e)
        {
            throw new LoaderException($"{name} ({data.Length} bytes) does not fit guest RAM at 0x{guestPhysical:x}", e);
        }
        var entry = entryPoint ?? (guestPhysical < MipsAddress.WindowSize ? MipsAddress.ToKseg0(guestPhysical) : 0);
        return new LoadedImage(name, entry, [new LoadedSegment(guestPhysical, (ulong)data.Length, (ulong)data.Length)]);
    }
}
