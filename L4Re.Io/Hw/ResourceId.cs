namespace L4Re.Io.Hw;

/// <summary>
/// The 4-byte name of a resource (<c>l4vbus_resource_t.id</c>): up to four ASCII characters packed
/// little-endian, first character in the low byte, as io's <c>Resource::str_to_id</c> does
/// (kernkonzept/io <c>io/server/src/resource.h</c>). io names resources after their Lua key
/// (<c>Resource.reg0</c> → <c>"reg0"</c>), so a client can find "the register window" by name.
/// </summary>
/// <param name="Raw">The packed value.</param>
public readonly record struct ResourceId(uint Raw)
{
    /// <summary>The maximum number of characters (<c>l4vbus_resource_t.id</c> is 4 bytes).</summary>
    public const int MaxLength = 4;

    /// <summary>True when <paramref name="name"/> is a valid resource name: 1–4 printable ASCII characters, no spaces.</summary>
    public static bool IsValidName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength)
            return false;
        foreach (var c in name)
            if (c <= ' ' || c > '~')
                return false;
        return true;
    }

    /// <summary>Packs <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">The name is not 1–4 printable ASCII characters.</exception>
    public static ResourceId FromName(string name)
    {
        if (!IsValidName(name))
            throw new ArgumentException($"a resource name is 1 to {MaxLength} printable ASCII characters without spaces, not '{name}'", nameof(name));
        uint raw = 0;
        for (var i = 0; i < name.Length; i++)
            raw |= (uint)name[i] << (8 * i);
        return new ResourceId(raw);
    }

    /// <summary>The name: the characters up to the first zero byte.</summary>
    public string Name
    {
        get
        {
            Span<char> chars = stackalloc char[MaxLength];
            var n = 0;
            for (; n < MaxLength; n++)
            {
                var b = (byte)(Raw >> (8 * n));
                if (b == 0)
                    break;
                chars[n] = (char)b;
            }
            return new string(chars[..n]);
        }
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
