namespace L4Re.Io.Vbus;

/// <summary>How a <see cref="MatchRule"/> selects hardware devices.</summary>
public enum MatchKind
{
    /// <summary>The pattern is a glob over the device's HID (<see cref="HidGlob"/>).</summary>
    Hid,
    /// <summary>The pattern equals one of the device's compatible ids.</summary>
    Compatible,
    /// <summary>The pattern is a PCI id string (<see cref="PciMatch"/>, <c>PCI/</c> optional) over the device's PCI identity.</summary>
    Pci,
    /// <summary>
    /// io's own rule for <c>hw:match("…")</c>: the device matches when the pattern globs its HID, equals
    /// one of its compatible ids, or — for a pattern starting with <c>PCI/</c> — matches its PCI
    /// identity (kernkonzept/io <c>device.h</c> / <c>hw_device.cc</c> / <c>pci-dev.cc</c> <c>match_cid</c>).
    /// </summary>
    Io,
    /// <summary>The pattern is the exact name of one hardware device.</summary>
    Name,
}
