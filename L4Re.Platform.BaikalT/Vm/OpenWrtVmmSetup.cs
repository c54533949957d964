using L4Re.Kernel;
using L4Re.Kernel.Abi;
using L4Re.Kernel.Objects;
using L4Re.Platform.BaikalT.Board;
using L4Re.Vio.Switch;

namespace L4Re.Platform.BaikalT.Vm;

/// <summary>
/// What the OpenWrt VMM is started with (what ned hands uvmm): its task and thread, the kernel VM object, its capabilities
/// at fixed slots — the VM, its factory, its vbus ("openwrt"), the radio gate (rights R and W), an IRQ that wakes its vCPU —
/// and where its guest RAM lives in physical memory.
/// </summary>
public sealed record OpenWrtVmmSetup
{
    /// <summary>Capability slot of the VMM's factory.</summary>
    public static readonly CapSel FactorySlot = CapSel.FromIndex(2);
    /// <summary>Capability slot of the VMM's thread.</summary>
    public static readonly CapSel ThreadSlot = CapSel.FromIndex(3);
    /// <summary>Capability slot of the vbus.</summary>
    public static readonly CapSel VbusSlot = CapSel.FromIndex(0x10);
    /// <summary>Capability slot of the radio protocol gate.</summary>
    public static readonly CapSel RadioSlot = CapSel.FromIndex(0x11);
    /// <summary>Capability slot of the VM object.</summary>
    public static readonly CapSel VmSlot = CapSel.FromIndex(0x12);
    /// <summary>Capability slot of the wake-up IRQ.</summary>
    public static readonly CapSel WakeIrqSlot = CapSel.FromIndex(0x13);
    /// <summary>Capability slot of the vbus ICU.</summary>
    public static readonly CapSel IcuSlot = CapSel.FromIndex(0x14);
    /// <summary>First slot for pass-through IRQ objects.</summary>
    public const ulong FirstIrqSlot = 0x40;

    /// <summary>Label of the wake-up IRQ.</summary>
    public const ulong WakeLabel = 0x7700;
    /// <summary>Label base of pass-through IRQs (plus the guest interrupt number).</summary>
    public const ulong PassthroughIrqLabel = 0x7800;

    /// <summary>Where the VMM maps guest RAM in its own task (guest-physical + this).</summary>
    public const ulong RamVa = 0x1_0000_0000;

    /// <summary>The kernel.</summary>
    public required Microkernel Kernel { get; init; }

    /// <summary>The board.</summary>
    public required BaikalT1Board Board { get; init; }

    /// <summary>The VMM's task.</summary>
    public required L4Task Task { get; init; }

    /// <summary>The VMM's thread (host-driven: the run loop performs its system calls).</summary>
    public required L4Thread Thread { get; init; }

    /// <summary>The VM object (its capability is at <see cref="VmSlot"/>).</summary>
    public required Kernel.Objects.Vm VmObject { get; init; }

    /// <summary>The IRQ at <see cref="WakeIrqSlot"/>, bound to <see cref="Thread"/> with <see cref="WakeLabel"/>.</summary>
    public required Irq WakeIrq { get; init; }

    /// <summary>The virtual switch the VM's virtio-net device is a port of, or null for none.</summary>
    public VirtualSwitch? Switch { get; init; }

    /// <summary>The switch port's options.</summary>
    public PortOptions PortOptions { get; init; } = new() { Name = "openwrt" };

    /// <summary>Guest RAM in bytes.</summary>
    public long RamSize { get; init; } = 32L << 20;

    /// <summary>The physical address of guest RAM (in the Baikal-T1's high DRAM by default).</summary>
    public ulong RamPhysical { get; init; } = 0x2000_0000;
}
