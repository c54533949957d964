namespace L4Re.Io.Vbus;

/// <summary>
/// The sub-interfaces of the vbus protocol (<c>l4vbus_iface_type_t</c>, kernkonzept/io
/// <c>libvbus/include/vbus_interfaces.h</c>): an opcode's interface is its top bits
/// (<c>opcode &gt;&gt; 26</c>), and a device announces the interfaces it speaks as bits of
/// <see cref="VbusDeviceInfo.InterfaceType"/>.
/// </summary>
public enum VbusInterface
{
    /// <summary><c>L4VBUS_INTERFACE_ICU</c>: the vbus's virtual interrupt controller.</summary>
    Icu = 0,
    /// <summary><c>L4VBUS_INTERFACE_GPIO</c>.</summary>
    Gpio = 1,
    /// <summary><c>L4VBUS_INTERFACE_PCI</c>: a PCI bus.</summary>
    Pci = 2,
    /// <summary><c>L4VBUS_INTERFACE_PCIDEV</c>: a PCI device.</summary>
    PciDev = 3,
    /// <summary><c>L4VBUS_INTERFACE_PM</c>: power management.</summary>
    Pm = 4,
    /// <summary><c>L4VBUS_INTERFACE_BUS</c>: the bus itself (resource requests, DMA domains).</summary>
    Bus = 5,
    /// <summary><c>L4VBUS_INTERFACE_GENERIC</c>: every device.</summary>
    Generic = 0x20,
}
