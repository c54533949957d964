using ELFSharp.ELF;
using ELFSharp.ELF.Segments;
using L4Re.Uvmm.Vmm;

namespace L4Re.Uvmm.Loaders;

/// <summary>
/// Loads a MIPS32 little-endian ELF executable into guest RAM (uvmm <c>binary_loader_elf.cc</c>): every
/// <c>PT_LOAD</c> segment is copied to the physical address behind its <c>p_paddr</c> (kseg0/kseg1 addresses
/// are translated as the unmapped windows do) and its BSS is zero-filled; execution starts at <c>e_entry</c>.
/// Parsing uses ELFSharp.
/// </summary>
public static class ElfLoader
{
    /// <summary>ELF <c>e_machine</c> EM_MIPS.</summary>
    public const int EmMips = 8;

    /// <summary>Loads an ELF file.</summary>
    /// <param name="ram">Guest RAM.</param>
    /// <param name="path">The file.</param>
    /// <returns>The loaded image.</returns>
    /// <exception cref="LoaderException">Not a loadable MIPS32 LE executable, or a segment does not fit guest RAM.</exception>
    public static LoadedImage Load(GuestRam ram, string path)
    {
        using var stream = OpenRead(path);
        return Load(ram, stream, Path.GetFileName(path));
    }

    /// <summary>Loads an ELF image from a stream.</summary>
    /// <param name="ram">Guest RAM.</param>
    /// <param name="stream">A seekable stream with the ELF file.</param>
    /// <param name="name">Name for diagnostics.</param>
    /// <returns>The loaded image.</returns>
    /// <exception cref="LoaderException">Not a loadable MIPS32 LE executable, or a segment does not fit guest RAM.</exception>
    public static LoadedImage Load(GuestRam ram, Stream stream, string name)
    {
        IELF? elf;
        try
        {
            if (!ELFReader.TryLoad(stream, false, out elf))
                throw new LoaderException($"{name} is not an ELF file");
        }
        catch (Exception e) when (e is not LoaderException)
        {
            throw new LoaderException($"{name} is not a valid ELF file: {e.Message}", e);
        }
        using (elf)
        {
            if (elf.Class != Class.Bit32 || elf is not ELF<uint> elf32)
                throw new LoaderException($"{name} is not a 32-bit ELF file");
            if (elf.Endianess != ELFSharp.Endianess.LittleEndian)
                throw new LoaderException($"{name} is big-endian; the VM is a little-endian MIPS32");
            if (elf.Machine != Machine.MIPS)
                throw new LoaderException($"{name} is for {elf.Machine}, not MIPS");
            if (elf.Type != FileType.Executable)
                throw new LoaderException($"{name} is not an executable ELF file ({elf.Type})");

            var segments = new List<LoadedSegment>();
            foreach (var segment in elf32.Segments)
            {
                if (segment.Type != SegmentType.Load || segment.Size == 0)
                    continue;
                if (!MipsAddress.TryToPhysical(segment.PhysicalAddress, out var physical))
                    throw new LoaderException($"{name}: segment at 0x{segment.PhysicalAddress:x8} is in a mapped segment (kseg2/3)");
                if (segment.FileSize > segment.Size)
                    throw new LoaderException($"{name}: segment at 0x{segment.PhysicalAddress:x8} has p_filesz > p_memsz");
                byte[] contents;
                try
                {
                    contents = segment.GetFileContents();
                }
                catch (Exception e)
                {
                    throw new LoaderException($"{name}: segment at 0x{segment.PhysicalAddress:x8} lies outside the file", e);
                }
                try
                {
                    ram.Write(physical, contents);
                    ram.Clear(physical + (ulong)contents.Length, (long)segment.Size - contents.Length);
                }
                catch (GuestMemoryException e)
                {
                    throw new LoaderException($"{name}: segment [0x{physical:x}, +0x{segment.Size:x}) does not fit guest RAM", e);
                }
                segments.Add(new LoadedSegment(physical, (ulong)contents.Length, segment.Size));
            }
            if (segments.Count == 0)
                throw new LoaderException($"{name} has no loadable segment");
            return new LoadedImage(name, elf32.EntryPoint, segments);
        }
    }

    internal static FileStream OpenRead(string path)
    {
        try
        {
            return File.OpenRead(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LoaderException($"cannot read {path}: {e.Message}", e);
        }
    }
}
