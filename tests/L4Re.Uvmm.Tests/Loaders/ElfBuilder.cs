using System.Buffers.Binary;

namespace L4Re.Uvmm.Tests.Loaders;

/// <summary>Writes minimal ELF32 little-endian executables for loader tests.</summary>
internal static class ElfBuilder
{
    public sealed record Segment(uint Type, uint Vaddr, uint Paddr, byte[] Data, uint MemSize);

    public static byte[] Build(uint entry, IReadOnlyList<Segment> segments, ushort machine = 8, byte elfClass = 1, byte data = 1, ushort type = 2)
    {
        const int ehsize = 52, phentsize = 32;
        var phoff = ehsize;
        var offset = phoff + phentsize * segments.Count;
        var blob = new List<byte>(new byte[offset]);
        var header = new byte[ehsize];
        header[0] = 0x7f; header[1] = (byte)'E'; header[2] = (byte)'L'; header[3] = (byte)'F';
        header[4] = elfClass; header[5] = data; header[6] = 1;
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(16), type);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(18), machine);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(20), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(24), entry);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(28), (uint)phoff);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(40), ehsize);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(42), phentsize);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(44), (ushort)segments.Count);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(46), 40);
        var bytes = blob.ToArray();
        header.CopyTo(bytes, 0);
        var result = new List<byte>(bytes);
        for (var i = 0; i < segments.Count; i++)
        {
            var s = segments[i];
            var ph = new byte[phentsize];
            BinaryPrimitives.WriteUInt32LittleEndian(ph.AsSpan(0), s.Type);
            BinaryPrimitives.WriteUInt32LittleEndian(ph.AsSpan(4), (uint)result.Count);
            BinaryPrimitives.WriteUInt32LittleEndian(ph.AsSpan(8), s.Vaddr);
            BinaryPrimitives.WriteUInt32LittleEndian(ph.AsSpan(12), s.Paddr);
            BinaryPrimitives.WriteUInt32LittleEndian(ph.AsSpan(16), (uint)s.Data.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(ph.AsSpan(20), s.MemSize);
            BinaryPrimitives.WriteUInt32LittleEndian(ph.AsSpan(24), 7);
            BinaryPrimitives.WriteUInt32LittleEndian(ph.AsSpan(28), 4);
            for (var j = 0; j < phentsize; j++)
                result[phoff + i * phentsize + j] = ph[j];
            result.AddRange(s.Data);
        }
        return [.. result];
    }
}
