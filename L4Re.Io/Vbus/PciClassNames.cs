using System.Collections.Frozen;

namespace L4Re.Io.Vbus;

/// <summary>
/// The human-readable PCI class names io accepts in place of a <c>CC_…</c> token, e.g.
/// <c>PCI/network_nw</c> = <c>PCI/CC_0280</c> (a Wi-Fi NIC usually reports class 0x0280). The table
/// follows kernkonzept/io <c>io/doc/io.dox</c> ("Matching and Assigning PCI Devices") and
/// <c>io/server/src/io.lua</c> (<c>Io.Dt.PCI_cc</c>); the values are (base class, subclass) bytes.
/// </summary>
public static class PciClassNames
{
    /// <summary>Name → the class-code prefix it stands for, as hex digits (2 = base class only, 4 = base class and subclass).</summary>
    public static FrozenDictionary<string, string> Table { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["storage"] = "01", ["scsi"] = "0100", ["ide"] = "0101", ["floppy"] = "0102", ["raid"] = "0104",
        ["ata"] = "0105", ["sata"] = "0106", ["sas"] = "0107", ["nvm"] = "0108",
        ["network"] = "02", ["ethernet"] = "0200", ["token_ring"] = "0201", ["fddi"] = "0202", ["atm"] = "0203",
        ["isdn"] = "0204", ["picmg"] = "0206", ["net_infiniband"] = "0207", ["fabric"] = "0208", ["network_nw"] = "0280",
        ["display"] = "03", ["vga"] = "0300", ["xga"] = "0301",
        ["media"] = "04", ["mm_video"] = "0400", ["mm_audio"] = "0401", ["telephony"] = "0402", ["audio"] = "0403",
        ["bridge"] = "06", ["br_host"] = "0600", ["br_isa"] = "0601", ["br_eisa"] = "0602", ["br_microchannel"] = "0603",
        ["br_pci"] = "0604", ["br_pcmcia"] = "0605", ["br_nubus"] = "0606", ["br_cardbus"] = "0607", ["br_raceway"] = "0608",
        ["br_semi_pci"] = "0609", ["br_infiniband_to_pci"] = "060a",
        ["com"] = "07", ["com_serial"] = "0700", ["com_parallel"] = "0701", ["com_multiport_ser"] = "0702",
        ["com_modem"] = "0703", ["com_gpib"] = "0704", ["com_smart_card"] = "0705",
        ["serial_bus"] = "0c", ["firewire"] = "0c00", ["access_bus"] = "0c01", ["ssa"] = "0c02", ["usb"] = "0c03",
        ["fibre_channel"] = "0c04", ["smbus"] = "0c05", ["bus_infiniband"] = "0c06", ["ipmi_smic"] = "0c07",
        ["sercos"] = "0c08", ["canbus"] = "0c09",
        ["wireless"] = "0d", ["bluetooth"] = "0d11", ["w_8021a"] = "0d20", ["w_8021b"] = "0d21",
    }.ToFrozenDictionary(StringComparer.Ordinal);
}
