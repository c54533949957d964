using System.Buffers.Binary;

namespace L4Re.Uvmm.DeviceTree;

/// <summary>The DTB header (Devicetree Specification 5.2): ten big-endian 32-bit fields.</summary>
/// <param name="Magic">0xd00dfeed.</param>
/// <param name="TotalSize">Size of the whole blob.</param>
/// <param name="OffDtStruct">Offset of the structure block.</param>
/// <param name="OffDtStrings">Offset of the strings block.</param>
/// <param name="OffMemRsvmap">Offset of the memory reservation block.</param>
/// <param name="Version">Format version (17).</param>
/// <param name="LastCompVersion">Oldest compatible version (16).</param>
/// <param name="BootCpuIdPhys">Physical id of the boot CPU.</param>
/// <param name="SizeDtStrings">Length of the strings block.</param>
/// <param name="SizeDtStruct">Length of the structure block (version 17 and later).</param>
public readonly record struct FdtHeader(
    uint Magic, uint TotalSize, uint OffDtStruct, uint OffDtStrings, uint OffMemRsvmap,
    uint Version, uint LastCompVersion, uint BootCpuIdPhys, uint SizeDtStrings, uint SizeDtStruct)
{
    /// <summary>Reads the header fields (without validating them).</summary>
    /// <param name="blob">At least <see cref="Fdt.HeaderSize"/> bytes.</param>
    /// <exception cref="FdtParseException">Fewer than <see cref="Fdt.HeaderSizeV16"/> bytes.</exception>
    public static FdtHeader Read(ReadOnlySpan<byte> blob)
    {
        if (blob.Length < Fdt.HeaderSizeV16)
            throw new FdtParseException($"blob of {blob.Length} bytes is shorter than a DTB header", 0);
        Span<uint> f = stackalloc uint[10];
        for (var i = 0; i < 10 && (i + 1) * 4 <= blob.Length; i++)
            f[i] = BinaryPrimitives.ReadUInt32BigEndian(blob[(i * 4)..]);
        return new FdtHeader(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9]);
    }

    /// <summary>Writes the header into the first <see cref="Fdt.HeaderSize"/> bytes.</summary>
    /// <param name="destination">The destination.</param>
    public void Write(Span<byte> destination)
    {
        ReadOnlySpan<uint> fields = [Magic, TotalSize, OffDtStruct, OffDtStrings, OffMemRsvmap, Version, LastCompVersion, BootCpuIdPhys, SizeDtStrings, SizeDtStruct];
        for (var i = 0; i < fields.Length; i++)
            BinaryPrimitives.WriteUInt32BigEndian(destination[(i * 4)..], fields[i]);
    }
}
