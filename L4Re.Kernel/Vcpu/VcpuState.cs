using L4Re.Kernel.Abi;
using L4Re.Kernel.Objects;

namespace L4Re.Kernel.Vcpu;

/// <summary>Flags of the vCPU state word (<c>L4_VCPU_F_*</c>).</summary>
/// <remarks>Source: l4re-core l4sys/include/vcpu.h.</remarks>
[Flags]
public enum VcpuStateFlags : ushort
{
    /// <summary>No flags.</summary>
    None = 0,
    /// <summary>IRQs (incoming IPC) cause an upcall (<c>L4_VCPU_F_IRQ</c>).</summary>
    Irqs = 0x01,
    /// <summary>Page faults cause an upcall (<c>L4_VCPU_F_PAGE_FAULTS</c>).</summary>
    PageFaults = 0x02,
    /// <summary>Exceptions cause an upcall (<c>L4_VCPU_F_EXCEPTIONS</c>).</summary>
    Exceptions = 0x04,
    /// <summary>Resume into the user task (for a VM: guest mode) (<c>L4_VCPU_F_USER_MODE</c>).</summary>
    UserMode = 0x20,
    /// <summary>FPU enabled (<c>L4_VCPU_F_FPU_ENABLED</c>).</summary>
    FpuEnabled = 0x80,
}

/// <summary>Sticky flags of the vCPU state (<c>L4_VCPU_SF_*</c>).</summary>
[Flags]
public enum VcpuStickyFlags : ushort
{
    /// <summary>No flags.</summary>
    None = 0,
    /// <summary>An IRQ (IPC) is pending (<c>L4_VCPU_SF_IRQ_PENDING</c>).</summary>
    IrqPending = 0x01,
}

/// <summary>
/// The architecture-neutral part of a vCPU state (<c>l4_vcpu_state_t</c>): state flags, the user task
/// (for a VM: the <see cref="Objects.Vm"/> capability), the IPC registers an upcall delivers, and the
/// entry point. The guest's register state belongs to the vCPU implementation and lives in
/// <see cref="ArchState"/>; the kernel never looks into it.
/// </summary>
public sealed class VcpuState
{
    internal VcpuState(L4Thread owner, ulong handle)
    {
        Owner = owner;
        Handle = handle;
    }

    /// <summary>The thread this vCPU belongs to.</summary>
    public L4Thread Owner { get; }

    /// <summary>The value given to <c>vcpu_control</c> (the vCPU state's address in the real system).</summary>
    public ulong Handle { get; }

    /// <summary>The current state (<c>state</c>).</summary>
    public VcpuStateFlags State { get; set; }

    /// <summary>The state to resume with (<c>saved_state</c>).</summary>
    public VcpuStateFlags SavedState { get; set; }

    /// <summary>Pending flags (<c>sticky_flags</c>).</summary>
    public VcpuStickyFlags StickyFlags { get; set; }

    /// <summary>The user task / VM to run in user mode (<c>user_task</c>).</summary>
    public CapSel UserTask { get; set; } = CapSel.Invalid;

    /// <summary>The entry instruction pointer for upcalls.</summary>
    public ulong EntryIp { get; set; }

    /// <summary>The entry stack pointer for upcalls.</summary>
    public ulong EntrySp { get; set; }

    /// <summary>The tag of the IPC an upcall delivered (<c>i.tag</c>).</summary>
    public MsgTag IpcTag { get; internal set; }

    /// <summary>The label of the IPC an upcall delivered (<c>i.label</c>).</summary>
    public ulong IpcLabel { get; internal set; }

    /// <summary>The error of the IPC an upcall delivered (<c>i.err</c>).</summary>
    public IpcErrorWord IpcError { get; internal set; }

    /// <summary>The guest register state, owned by the <see cref="IVcpuExecutor"/>.</summary>
    public object? ArchState { get; set; }

    /// <summary>The user space resolved from <see cref="UserTask"/> at the last resume.</summary>
    public L4Task? UserSpace { get; internal set; }

    /// <summary>True when an IPC (an IRQ) waits for the vCPU thread and IRQ upcalls are enabled: the executor should exit.</summary>
    public bool InterruptPending => (State & VcpuStateFlags.Irqs) != 0 && Owner.QueuedSenders > 0;

    internal void OnIpcPending() => StickyFlags |= VcpuStickyFlags.IrqPending;
}
