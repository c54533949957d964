using System.Buffers.Binary;
using System.Text;

namespace L4Re.Uvmm.DeviceTree;

/// <summary>Renders property values in device tree source syntax (strings, cells or bytes), for diagnostics and DTS output.</summary>
internal static class DtValueFormat
{
    public static string Format(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
            return "<empty>";
        if (LooksLikeStrings(value))
        {
            var parts = Encoding.ASCII.GetString(value[..^1]).Split('\0');
            return string.Join(", ", parts.Select(p => "\"" + Escape(p) + "\""));
        }
        var sb = new StringBuilder();
        if (value.Length % 4 == 0)
        {
            sb.Append('<');
            for (var i = 0; i < value.Length; i += 4)
            {
                if (i > 0)
                    sb.Append(' ');
                sb.Append("0x").Append(BinaryPrimitives.ReadUInt32BigEndian(value[i..]).ToString("x"));
            }
            return sb.Append('>').ToString();
        }
        sb.Append('[');
        for (var i = 0; i < value.Length; i++)
        {
            if (i > 0)
                sb.Append(' ');
            sb.Append(value[i].ToString("x2"));
        }
        return sb.Append(']').ToString();
    }

    /// <summary>Printable ASCII strings, each non-empty, NUL-terminated (dtc's heuristic).</summary>
    public static bool LooksLikeStrings(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty || value[^1] != 0 || value[0] == 0)
            return false;
        for (var i = 0; i < value.Length; i++)
        {
            var b = value[i];
            if (b == 0)
            {
                if (i + 1 < value.Length && value[i + 1] == 0)
                    return false;
                continue;
            }
            if (b < 0x20 || b > 0x7e)
                return false;
        }
        return true;
    }

    private static string Escape(string s) => s.Replace("\\", "\\\\").Replace("\"", "\\\"");
}
