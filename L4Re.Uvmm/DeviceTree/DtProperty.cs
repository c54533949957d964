using System.Buffers.Binary;
using System.Text;

namespace L4Re.Uvmm.DeviceTree;

/// <summary>
/// A device tree property: a name and a byte value. Typed accessors interpret the value the way the
/// Devicetree Specification (chapter 2.2.4 "Property values") defines: big-endian 32-bit cells, 64-bit
/// values as two cells, NUL-terminated strings and string lists. A value of the wrong shape raises
/// <see cref="DeviceTreeException"/> naming the node and property.
/// </summary>
public sealed class DtProperty
{
    private byte[] _value;

    internal DtProperty(DtNode owner, string name, byte[] value)
    {
        Owner = owner;
        Name = name;
        _value = value;
    }

    /// <summary>The node the property belongs to.</summary>
    public DtNode Owner { get; }

    /// <summary>The property name.</summary>
    public string Name { get; }

    /// <summary>The raw value (big-endian cells, NUL-terminated strings).</summary>
    public ReadOnlySpan<byte> Value => _value;

    /// <summary>The value length in bytes.</summary>
    public int Length => _value.Length;

    /// <summary>True for an empty (boolean) property such as <c>interrupt-controller;</c>.</summary>
    public bool IsEmpty => _value.Length == 0;

    /// <summary>The number of whole 32-bit cells in the value.</summary>
    public int CellCount => _value.Length / 4;

    internal byte[] RawValue => _value;

    internal void Replace(byte[] value) => _value = value;

    /// <summary>The value as exactly one 32-bit cell.</summary>
    /// <exception cref="DeviceTreeException">The value is not 4 bytes long.</exception>
    public uint GetU32()
    {
        if (_value.Length != 4)
            throw Error($"is {_value.Length} bytes long, not one 32-bit cell");
        return BinaryPrimitives.ReadUInt32BigEndian(_value);
    }

    /// <summary>The value as one 64-bit number (two cells, most significant first).</summary>
    /// <exception cref="DeviceTreeException">The value is not 8 bytes long.</exception>
    public ulong GetU64()
    {
        if (_value.Length != 8)
            throw Error($"is {_value.Length} bytes long, not a 64-bit value");
        return BinaryPrimitives.ReadUInt64BigEndian(_value);
    }

    /// <summary>The value as 32-bit cells.</summary>
    /// <exception cref="DeviceTreeException">The length is not a multiple of 4.</exception>
    public uint[] GetCells()
    {
        if (_value.Length % 4 != 0)
            throw Error($"is {_value.Length} bytes long, not a whole number of 32-bit cells");
        var cells = new uint[_value.Length / 4];
        for (var i = 0; i < cells.Length; i++)
            cells[i] = BinaryPrimitives.ReadUInt32BigEndian(_value.AsSpan(i * 4));
        return cells;
    }

    /// <summary>The cell at <paramref name="index"/>.</summary>
    /// <param name="index">Zero-based cell index.</param>
    /// <exception cref="DeviceTreeException">The value has no such cell.</exception>
    public uint GetCell(int index)
    {
        if (index < 0 || (index + 1) * 4 > _value.Length)
            throw Error($"has no cell {index} (it is {_value.Length} bytes long)");
        return BinaryPrimitives.ReadUInt32BigEndian(_value.AsSpan(index * 4));
    }

    /// <summary>
    /// Reads a number of <paramref name="cellCount"/> cells starting at cell <paramref name="index"/> (as
    /// <c>of_read_number</c> in Linux does for addresses and sizes): 0 cells give 0, 1 or 2 cells a 32- or
    /// 64-bit number.
    /// </summary>
    /// <param name="index">The first cell.</param>
    /// <param name="cellCount">0, 1 or 2.</param>
    /// <exception cref="DeviceTreeException">The count is larger than 2 with non-zero high cells, or the value is too short.</exception>
    public ulong ReadNumber(int index, int cellCount)
    {
        if (cellCount < 0)
            throw Error($"cannot be read with {cellCount} cells");
        if (index < 0 || (index + cellCount) * 4 > _value.Length)
            throw Error($"has no cells {index}..{index + cellCount - 1} (it is {_value.Length} bytes long)");
        ulong result = 0;
        for (var i = 0; i < cellCount; i++)
        {
            if (result >> 32 != 0)
                throw Error($"holds a number wider than 64 bits at cell {index}");
            result = result << 32 | BinaryPrimitives.ReadUInt32BigEndian(_value.AsSpan((index + i) * 4));
        }
        return result;
    }

    /// <summary>The value as one NUL-terminated string.</summary>
    /// <exception cref="DeviceTreeException">The value is not a single NUL-terminated string.</exception>
    public string GetString()
    {
        if (_value.Length == 0 || _value[^1] != 0)
            throw Error("is not a NUL-terminated string");
        var body = _value.AsSpan(0, _value.Length - 1);
        if (body.Contains((byte)0))
            throw Error("is a string list, not a single string");
        return Encoding.UTF8.GetString(body);
    }

    /// <summary>The value as a list of NUL-terminated strings (such as <c>compatible</c>).</summary>
    /// <exception cref="DeviceTreeException">The value does not end with NUL.</exception>
    public string[] GetStringList()
    {
        if (_value.Length == 0)
            return [];
        if (_value[^1] != 0)
            throw Error("is not a list of NUL-terminated strings");
        var result = new List<string>();
        var start = 0;
        for (var i = 0; i < _value.Length; i++)
        {
            if (_value[i] != 0)
                continue;
            result.Add(Encoding.UTF8.GetString(_value, start, i - start));
            start = i + 1;
        }
        return [.. result];
    }

    /// <summary>True when the value is a string list containing <paramref name="text"/>.</summary>
    /// <param name="text">The string to look for.</param>
    public bool ContainsString(string text)
    {
        if (_value.Length == 0 || _value[^1] != 0)
            return false;
        var wanted = Encoding.UTF8.GetBytes(text);
        var span = _value.AsSpan();
        while (span.Length > 0)
        {
            var end = span.IndexOf((byte)0);
            if (span[..end].SequenceEqual(wanted))
                return true;
            span = span[(end + 1)..];
        }
        return false;
    }

    /// <summary>Renders the value the way <c>dtc -O dts</c> would choose: strings, cells or bytes.</summary>
    public override string ToString() => $"{Name} = {DtValueFormat.Format(_value)}";

    private DeviceTreeException Error(string what) => new($"property '{Name}' of {Owner.Path} {what}");
}
