namespace L4Re.Io.Hw;

/// <summary>
/// The PCI configuration-space identity of a device, the fields io matches with its <c>PCI/…</c> id
/// strings (kernkonzept/io <c>io/server/src/pci/pci-dev.cc</c>, <c>Dev::match_cid</c>).
/// </summary>
/// <param name="VendorId">Vendor id (config offset 0x00).</param>
/// <param name="DeviceId">Device id (config offset 0x02).</param>
/// <param name="ClassCode">The 24-bit class code: base class &lt;&lt; 16 | subclass &lt;&lt; 8 | programming interface (config offset 0x09–0x0b).</param>
/// <param name="Revision">Revision id (config offset 0x08).</param>
/// <param name="SubsystemId">Subsystem vendor id in the low and subsystem id in the high 16 bits (config offset 0x2c, as one 32-bit word).</param>
/// <param name="Address">Where the function sits on the PCI bus, when known.</param>
public sealed record PciIdentity(ushort VendorId, ushort DeviceId, uint ClassCode = 0, byte Revision = 0, uint SubsystemId = 0, PciAddress? Address = null)
{
    /// <summary>The base class byte (e.g. 0x02 network controller).</summary>
    public byte BaseClass => (byte)(ClassCode >> 16);

    /// <summary>The subclass byte (e.g. 0x80 "other network controller", often Wi-Fi).</summary>
    public byte SubClass => (byte)(ClassCode >> 8);

    /// <summary>The programming-interface byte.</summary>
    public byte ProgIf => (byte)ClassCode;

    /// <summary>True when the class code fits in 24 bits and the address (if any) is valid.</summary>
    public bool IsValid => ClassCode <= 0xff_ffff && (Address is null || Address.Value.IsValid);

    /// <inheritdoc />
    public override string ToString() =>
        $"PCI/VEN_{VendorId:x4}&DEV_{DeviceId:x4}&CC_{ClassCode:x6}&REV_{Revision:x2}" + (Address is { } a ? $"&ADR_{a}" : "");
}
