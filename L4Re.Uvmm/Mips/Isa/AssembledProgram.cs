using System.Buffers.Binary;

namespace L4Re.Uvmm.Mips;

/// <summary>The output of <see cref="Assembler"/>: little-endian bytes placed at <see cref="BaseAddress"/> and the symbols.</summary>
public sealed class AssembledProgram
{
    internal AssembledProgram(uint baseAddress, byte[] bytes, IReadOnlyDictionary<string, uint> symbols)
    {
        BaseAddress = baseAddress;
        Bytes = bytes;
        Symbols = symbols;
    }

    /// <summary>Address of the first byte.</summary>
    public uint BaseAddress { get; }

    /// <summary>The image (little-endian, MIPS32 el).</summary>
    public byte[] Bytes { get; }

    /// <summary>Labels and <c>.equ</c> symbols with their values.</summary>
    public IReadOnlyDictionary<string, uint> Symbols { get; }

    /// <summary>The address of label <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such label.</exception>
    public uint this[string name] => Symbols.TryGetValue(name, out var v) ? v : throw new KeyNotFoundException($"no symbol '{name}'");

    /// <summary>The image as 32-bit words (the length rounded down to whole words).</summary>
    public uint[] Words()
    {
        var words = new uint[Bytes.Length / 4];
        for (var i = 0; i < words.Length; i++)
            words[i] = BinaryPrimitives.ReadUInt32LittleEndian(Bytes.AsSpan(i * 4));
        return words;
    }
}
