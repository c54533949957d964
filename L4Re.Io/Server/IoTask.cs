using L4Re.Kernel;
using L4Re.Kernel.Abi;
using L4Re.Kernel.Native;
using L4Re.Kernel.Objects;

namespace L4Re.Io.Server;

/// <summary>
/// io's own protection domain in the kernel: its task — holding the capabilities io serves (vbus and
/// ICU gates), the capabilities its clients send (IRQs, DMA spaces), the kernel ICU and IOMMU capabilities and the
/// I/O memory and ports io hands out — and its server thread answering vbus and ICU IPC. io's own kernel calls
/// (ICU bind, unbind, set_mode through io's ICU capability, as io's <c>Kernel_irq_pin</c> does with
/// <c>system_icu()</c>, kernkonzept/io <c>io/server/src/irqs.cc</c>; IOMMU bind and unbind through its IOMMU
/// capability, <c>dma_domain.cc</c>) are system calls of the server thread from inside its dispatch, as in io.
/// </summary>
internal sealed class IoTask
{
    /// <summary>The first capability slot io allocates (the boot slots stay free).</summary>
    public const ulong FirstSlot = 0x40;

    private readonly Stack<ulong> _free = new();
    private ulong _next = FirstSlot;

    public IoTask(Microkernel kernel, IIpcServer server)
    {
        Kernel = kernel;
        Task = kernel.RootFactory.CreateTask("io");
        Server = kernel.RootFactory.CreateThread("io");
        Server.Bind(Task);
        IcuSlot = Insert(kernel.Icu, CapRights.RWS);
        IommuSlot = Insert(kernel.Iommu, CapRights.RWS);
        ReceiveSlot = Allocate();
        L4Sys.ReceiveCapability(Server.Utcb, CapSel.FromIndex(ReceiveSlot));
        Server.Serve(server);
    }

    public Microkernel Kernel { get; }

    /// <summary>io's task.</summary>
    public L4Task Task { get; }

    /// <summary>The thread serving every vbus and ICU gate.</summary>
    public L4Thread Server { get; }

    /// <summary>io's capability to the kernel ICU.</summary>
    public ulong IcuSlot { get; }

    /// <summary>io's capability to the kernel IOMMU.</summary>
    public ulong IommuSlot { get; }

    /// <summary>The slot a capability sent to io arrives in.</summary>
    public ulong ReceiveSlot { get; private set; }

    public ulong Allocate() => _free.Count > 0 ? _free.Pop() : _next++;

    /// <summary>Puts a capability to <paramref name="obj"/> into a new slot of io's task.</summary>
    public ulong Insert(KernelObject obj, CapRights rights)
    {
        var slot = Allocate();
        Task.InsertCapability(slot, obj, rights);
        return slot;
    }

    /// <summary>Removes io's capability in <paramref name="slot"/> (the object lives on while others hold it) and frees the slot.</summary>
    public void Release(ulong slot)
    {
        Task.Unmap(Fpage.Obj(CapSel.FromIndex(slot), CapRights.RWSD), UnmapFlags.AllSpaces);
        _free.Push(slot);
    }

    /// <summary>Deletes the object io holds with the D right in <paramref name="slot"/>: every capability to it becomes invalid.</summary>
    public void Delete(ulong slot)
    {
        Task.Unmap(Fpage.Obj(CapSel.FromIndex(slot), CapRights.RWSD), UnmapFlags.DeleteObj);
        _free.Push(slot);
    }

    /// <summary>The object a client sent with the current request, or null.</summary>
    public KernelObject? Received => Task.Caps!.Lookup(ReceiveSlot)?.Object;

    /// <summary>Keeps the received capability (io's <c>realloc_rcv_cap</c>): returns its slot and receives the next one elsewhere.</summary>
    public ulong KeepReceived()
    {
        var kept = ReceiveSlot;
        ReceiveSlot = Allocate();
        L4Sys.ReceiveCapability(Server.Utcb, CapSel.FromIndex(ReceiveSlot));
        return kept;
    }

    /// <summary>Drops a received capability io did not keep, so that the next one finds the slot empty.</summary>
    public void DropReceived()
    {
        if (Received is not null)
            Task.Unmap(Fpage.Obj(CapSel.FromIndex(ReceiveSlot), CapRights.RWSD), UnmapFlags.AllSpaces);
    }

    // io's kernel calls: system calls of the server thread, made from inside its dispatch.

    /// <summary><c>l4_icu_set_mode</c> on the kernel ICU.</summary>
    public L4Error IcuSetMode(uint pin, IrqMode mode) => Call(IcuSlot, L4Sys.IcuSetMode(Server.Utcb, pin, mode));

    /// <summary><c>l4_icu_bind</c> on the kernel ICU of the IRQ io holds in <paramref name="irqSlot"/>.</summary>
    public L4Error IcuBind(uint pin, ulong irqSlot) => Call(IcuSlot, L4Sys.IcuBind(Server.Utcb, pin, CapSel.FromIndex(irqSlot)));

    /// <summary><c>l4_icu_unbind</c> on the kernel ICU.</summary>
    public L4Error IcuUnbind(uint pin, ulong irqSlot) => Call(IcuSlot, L4Sys.IcuUnbind(Server.Utcb, pin, CapSel.FromIndex(irqSlot)));

    /// <summary><c>l4_iommu_bind</c> / <c>l4_iommu_unbind</c> of the DMA space io holds in <paramref name="spaceSlot"/> to a device source id.</summary>
    public L4Error Iommu(bool bind, ulong sourceId, ulong spaceSlot) =>
        Call(IommuSlot, L4Sys.IommuBind(Server.Utcb, sourceId, CapSel.FromIndex(spaceSlot), unbind: !bind));

    private L4Error Call(ulong slot, MsgTag tag)
    {
        var r = Server.Call(CapSel.FromIndex(slot), tag);
        return r.HasError ? L4Error.Io : r.Tag.ResultError;
    }
}
