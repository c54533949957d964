using System.Buffers.Binary;

namespace L4Re.Uvmm.Vz;

/// <summary>
/// A little-endian MIPS ELF32 executable reduced to what a bare-metal load needs: the entry point and the
/// PT_LOAD segments. Malformed files are rejected with <see cref="InvalidDataException"/> naming the problem.
/// </summary>
public sealed class Elf32Image
{
    private Elf32Image(uint entry, IReadOnlyList<Elf32Segment> segments)
    {
        Entry = entry;
        Segments = segments;
    }

    /// <summary>The entry point (e_entry).</summary>
    public uint Entry { get; }

    /// <summary>The loadable segments.</summary>
    public IReadOnlyList<Elf32Segment> Segments { get; }

    /// <summary>Parses <paramref name="file"/>.</summary>
    /// <exception cref="InvalidDataException">Not a little-endian MIPS ELF32 executable, or a header points outside the file.</exception>
    public static Elf32Image Parse(ReadOnlySpan<byte> file)
    {
        if (file.Length < 52 || file[0] != 0x7f || file[1] != (byte)'E' || file[2] != (byte)'L' || file[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (file[4] != 1)
            throw new InvalidDataException("not a 32-bit ELF file (EI_CLASS != ELFCLASS32)");
        if (file[5] != 1)
            throw new InvalidDataException("not a little-endian ELF file (EI_DATA != ELFDATA2LSB)");
        var type = U16(file, 16);
        if (type != 2)
            throw new InvalidDataException($"not an executable (e_type = {type}, expected ET_EXEC)");
        var machine = U16(file, 18);
        if (machine != 8)
            throw new InvalidDataException($"not a MIPS ELF file (e_machine = {machine}, expected EM_MIPS = 8)");
        var entry = U32(file, 24);
        var phoff = U32(file, 28);
        var phentsize = U16(file, 42);
        var phnum = U16(file, 44);
        if (phnum == 0)
            throw new InvalidDataException("no program headers");
        if (phentsize < 32 || (ulong)phoff + (ulong)phentsize * phnum > (ulong)file.Length)
            throw new InvalidDataException("program header table outside the file");
        var segments = new List<Elf32Segment>();
        for (var i = 0; i < phnum; i++)
        {
            var ph = file.Slice((int)phoff + i * phentsize, 32);
            if (U32(ph, 0) != 1) // PT_LOAD
                continue;
            var offset = U32(ph, 4);
            var vaddr = U32(ph, 8);
            var paddr = U32(ph, 12);
            var filesz = U32(ph, 16);
            var memsz = U32(ph, 20);
            if ((ulong)offset + filesz > (ulong)file.Length)
                throw new InvalidDataException($"segment {i} data (0x{offset:x}+0x{filesz:x}) outside the file");
            if (filesz > memsz)
                throw new InvalidDataException($"segment {i} has p_filesz > p_memsz");
            if ((ulong)vaddr + memsz > 0x1_0000_0000ul)
                throw new InvalidDataException($"segment {i} wraps the 32-bit address space");
            segments.Add(new Elf32Segment(vaddr, paddr, file.Slice((int)offset, (int)filesz).ToArray(), memsz, U32(ph, 24)));
        }
        if (segments.Count == 0)
            throw new InvalidDataException("no PT_LOAD segment");
        return new Elf32Image(entry, segments);
    }

    private static ushort U16(ReadOnlySpan<byte> b, int o) => BinaryPrimitives.ReadUInt16LittleEndian(b[o..]);

    private static uint U32(ReadOnlySpan<byte> b, int o) => BinaryPrimitives.ReadUInt32LittleEndian(b[o..]);
}

/// <summary>A PT_LOAD segment: file bytes placed at <paramref name="VirtualAddress"/>, zero-filled up to <paramref name="MemorySize"/>.</summary>
/// <param name="VirtualAddress">p_vaddr.</param>
/// <param name="PhysicalAddress">p_paddr.</param>
/// <param name="Data">The p_filesz bytes from the file.</param>
/// <param name="MemorySize">p_memsz.</param>
/// <param name="Flags">p_flags (PF_X = 1, PF_W = 2, PF_R = 4).</param>
public sealed record Elf32Segment(uint VirtualAddress, uint PhysicalAddress, byte[] Data, uint MemorySize, uint Flags);
