using L4Re.Kernel.Abi;
using L4Re.Kernel.Memory;
using L4Re.Platform.BaikalT.Devices;
using L4Re.Regulatory.Gate;
using L4Re.Regulatory.Rules;
using L4Re.Vio.Driver;
using L4Re.Vio.Memory;
using L4Re.Vio.Virtio;

namespace L4Re.Platform.BaikalT.Trusted;

/// <summary>
/// What the trusted Wi-Fi component is started with — what L4Re's loader (ned) would hand it: its capabilities at fixed
/// slots, its memory, the country and the radio's capabilities it enforces, and the virtio-net port of the virtual switch
/// it bridges frames from and to.
/// </summary>
public sealed record WifiDriverSetup
{
    /// <summary>Capability slot of the component's own task.</summary>
    public static readonly CapSel TaskSlot = CapSel.FromIndex(1);
    /// <summary>Capability slot of its factory (a quota for the IRQ and DMA space it creates).</summary>
    public static readonly CapSel FactorySlot = CapSel.FromIndex(2);
    /// <summary>Capability slot of its thread.</summary>
    public static readonly CapSel ThreadSlot = CapSel.FromIndex(3);
    /// <summary>Capability slot of its vbus (io's "wifi" vbus: the NIC).</summary>
    public static readonly CapSel VbusSlot = CapSel.FromIndex(0x10);
    /// <summary>Capability slot of the IRQ of its switch port (triggered by the switch when frames arrive).</summary>
    public static readonly CapSel NetIrqSlot = CapSel.FromIndex(0x11);
    /// <summary>Where it creates the NIC's IRQ object.</summary>
    public static readonly CapSel NicIrqSlot = CapSel.FromIndex(0x20);
    /// <summary>Where it receives the vbus ICU.</summary>
    public static readonly CapSel IcuSlot = CapSel.FromIndex(0x21);
    /// <summary>Where it creates its DMA space.</summary>
    public static readonly CapSel DmaSpaceSlot = CapSel.FromIndex(0x22);

    /// <summary>Label of the radio protocol gate (its two low bits carry the caller's W and S rights).</summary>
    public const ulong GateLabel = 0x5740;
    /// <summary>Label of the NIC's IRQ.</summary>
    public const ulong NicIrqLabel = 0x5751;
    /// <summary>Label of the switch port's IRQ.</summary>
    public const ulong NetIrqLabel = 0x5752;

    /// <summary>Where the NIC's registers are mapped in the component's task.</summary>
    public const ulong NicVa = 0x6000_0000;
    /// <summary>Where the component's memory is attached.</summary>
    public const ulong MemoryVa = 0x4000_0000;
    /// <summary>Bytes of the memory used for DMA (rings and frame buffers), mapped into the DMA space.</summary>
    public const ulong DmaAreaSize = 0x2_0000;
    /// <summary>The device-visible address of the DMA area when an IOMMU translates (the DMA space mapping).</summary>
    public const ulong DmaIova = 0x1000_0000;
    /// <summary>Size of the component's memory.</summary>
    public const long MemorySize = 1 << 20;

    /// <summary>The country the component enforces (the untrusted side cannot change it).</summary>
    public required RegDomain Country { get; init; }

    /// <summary>The radio's capabilities (channels, widths, powers, antenna gain).</summary>
    public required InterfaceCapabilities Capabilities { get; init; }

    /// <summary>Gate options.</summary>
    public GateOptions? GateOptions { get; init; }

    /// <summary>The board's device register files (its MMIO accesses go through them).</summary>
    public required DeviceMemoryMap Devices { get; init; }

    /// <summary>The component's memory (attached at <see cref="MemoryVa"/>).</summary>
    public required Dataspace Memory { get; init; }

    /// <summary>The physical address of <see cref="Memory"/> (what <c>Dataspace::phys</c> answers; DMA addresses without an IOMMU).</summary>
    public required ulong MemoryPhysical { get; init; }

    /// <summary>The switch port's transport (the component drives it as a virtio-net driver), or null for no network.</summary>
    public VirtioMmioTransport? NetTransport { get; init; }

    /// <summary>Driver memory of the switch port (the part of <see cref="Memory"/> above the DMA area).</summary>
    public DriverMemoryList? NetMemory { get; init; }

    /// <summary>Allocator for the port's queues and buffers.</summary>
    public GuestMemoryAllocator? NetAllocator { get; init; }
}
