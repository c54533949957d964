namespace L4Re.Uvmm.DeviceTree;

/// <summary>
/// Constants of the flattened device tree format (Devicetree Specification v0.4, chapter 5 "Flattened
/// Devicetree (DTB) Format"; the same values are in dtc/libfdt's <c>fdt.h</c>). All header fields, tokens and
/// cells are big-endian.
/// </summary>
public static class Fdt
{
    /// <summary>The magic number at offset 0 of every DTB.</summary>
    public const uint Magic = 0xd00dfeed;

    /// <summary>The version this SDK writes (and the newest it reads).</summary>
    public const uint Version = 17;

    /// <summary>The oldest version a version-17 blob is backwards compatible with.</summary>
    public const uint LastCompatibleVersion = 16;

    /// <summary>Size of a version-17 header in bytes (ten 32-bit fields).</summary>
    public const int HeaderSize = 40;

    /// <summary>Size of a version-16 header in bytes (without <c>size_dt_struct</c>).</summary>
    public const int HeaderSizeV16 = 36;

    /// <summary>Structure-block token: start of a node, followed by its NUL-terminated name padded to 4 bytes.</summary>
    public const uint BeginNode = 1;

    /// <summary>Structure-block token: end of a node.</summary>
    public const uint EndNode = 2;

    /// <summary>Structure-block token: a property, followed by its length, its name offset and its padded value.</summary>
    public const uint Prop = 3;

    /// <summary>Structure-block token: ignored.</summary>
    public const uint Nop = 4;

    /// <summary>Structure-block token: end of the structure block.</summary>
    public const uint End = 9;
}
