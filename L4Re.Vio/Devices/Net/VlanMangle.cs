namespace L4Re.Vio.Devices.Net;

/// <summary>
/// How a frame is rewritten on its way to a port (l4vio_switch's <c>Virtio_vlan_mangle</c>, server/switch/vlan.h):
/// unchanged, an IEEE 802.1Q tag inserted after the two MAC addresses, or the tag removed.
/// </summary>
public readonly record struct VlanMangle
{
    private VlanMangle(int delta, ushort tci)
    {
        Delta = delta;
        Tci = tci;
    }

    /// <summary>Leave the frame as it is.</summary>
    public static VlanMangle None => default;

    /// <summary>Insert a tag <c>0x8100, tci</c> (PCP and DEI are zero).</summary>
    public static VlanMangle Add(ushort vlanId) => new(+4, vlanId);

    /// <summary>Remove the 4-byte tag after the MAC addresses.</summary>
    public static VlanMangle Remove => new(-4, 0xffff);

    /// <summary>+4 when a tag is inserted, −4 when removed, 0 otherwise.</summary>
    public int Delta { get; }

    /// <summary>The TCI inserted (for <see cref="Add"/>).</summary>
    public ushort Tci { get; }

    /// <summary>Whether the frame is rewritten.</summary>
    public bool IsActive => Delta != 0;

    /// <summary>The length of a frame of <paramref name="rawLength"/> bytes after the rewrite.</summary>
    public int MangledLength(int rawLength) => Delta switch
    {
        > 0 => rawLength >= 12 ? rawLength + 4 : rawLength,
        < 0 => rawLength >= 16 ? rawLength - 4 : Math.Min(rawLength, 12),
        _ => rawLength,
    };

    /// <summary>
    /// Adjusts a header for the rewrite (<c>rewrite_hdr</c>): with NEEDS_CSUM the checksum start moves by the tag.
    /// </summary>
    public NetHeader Rewrite(NetHeader header) =>
        Delta != 0 && (header.Flags & NetHeader.NeedsCsum) != 0
            ? header with { CsumStart = (ushort)(header.CsumStart + Delta) }
            : header;
}
