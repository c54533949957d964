using System.Globalization;

namespace L4Re.Vio.Devices.Net;

/// <summary>
/// A 48-bit Ethernet MAC address. Stored as l4vio_switch's <c>Mac_addr</c> does (kernkonzept/l4_virtio-net-switch
/// server/switch/mac_addr.h): the first byte on the wire is the least significant byte, so the
/// broadcast/multicast test is bit 0.
/// </summary>
public readonly record struct MacAddress
{
    /// <summary>Wraps a raw value (first wire byte in the least significant byte; 48 bits).</summary>
    public MacAddress(ulong value) => Value = value & 0xffff_ffff_ffffUL;

    /// <summary>The raw value.</summary>
    public ulong Value { get; }

    /// <summary>The "unknown" address 00:00:00:00:00:00 (<c>Addr_unknown</c>).</summary>
    public static MacAddress Unknown => default;

    /// <summary>The broadcast address ff:ff:ff:ff:ff:ff.</summary>
    public static MacAddress Broadcast => new(0xffff_ffff_ffffUL);

    /// <summary>Whether the address is broadcast or multicast (I/G bit of the first byte).</summary>
    public bool IsBroadcast => (Value & 1) != 0;

    /// <summary>Whether the address is 00:00:00:00:00:00.</summary>
    public bool IsUnknown => Value == 0;

    /// <summary>Reads an address from the first 6 bytes of <paramref name="bytes"/>.</summary>
    public static MacAddress Read(ReadOnlySpan<byte> bytes)
    {
        ulong v = 0;
        for (var i = 5; i >= 0; i--)
            v = (v << 8) | bytes[i];
        return new MacAddress(v);
    }

    /// <summary>Writes the 6 bytes in wire order.</summary>
    public void Write(Span<byte> bytes)
    {
        for (var i = 0; i < 6; i++)
            bytes[i] = (byte)(Value >> (8 * i));
    }

    /// <summary>Parses <c>xx:xx:xx:xx:xx:xx</c> (hexadecimal, as the switch's <c>mac=</c> option).</summary>
    /// <exception cref="FormatException">The text is not a MAC address.</exception>
    public static MacAddress Parse(string text) =>
        TryParse(text, out var mac) ? mac : throw new FormatException($"Invalid mac address '{text}'");

    /// <summary>Tries to parse <c>xx:xx:xx:xx:xx:xx</c>.</summary>
    public static bool TryParse(string? text, out MacAddress mac)
    {
        mac = default;
        if (text is null)
            return false;
        var parts = text.Split(':');
        if (parts.Length != 6)
            return false;
        ulong v = 0;
        for (var i = 5; i >= 0; i--)
        {
            if (parts[i].Length is < 1 or > 2 || !byte.TryParse(parts[i], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
                return false;
            v = (v << 8) | b;
        }
        mac = new MacAddress(v);
        return true;
    }

    /// <summary>A random locally administered unicast address (as l4vio_switch's <c>assign_random_mac</c>).</summary>
    public static MacAddress Random(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        Span<byte> b = stackalloc byte[6];
        random.NextBytes(b);
        b[0] = (byte)((b[0] & ~1) | 2);
        return Read(b);
    }

    /// <inheritdoc />
    public override string ToString()
    {
        Span<byte> b = stackalloc byte[6];
        Write(b);
        return string.Create(CultureInfo.InvariantCulture, $"{b[0]:x2}:{b[1]:x2}:{b[2]:x2}:{b[3]:x2}:{b[4]:x2}:{b[5]:x2}");
    }
}
