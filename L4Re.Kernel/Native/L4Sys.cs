using L4Re.Kernel.Abi;
using L4Re.Kernel.Ipc;

namespace L4Re.Kernel.Native;

/// <summary>
/// Message builders of the kernel interface, as the <c>l4sys</c> inline functions (<c>l4_task_map_u</c>,
/// <c>l4_factory_create_gate_u</c>, ...) write them: each fills the UTCB and returns the tag to send. Use
/// them with any caller — a native program (<c>await ctx.Call(cap, L4Sys.TaskMap(ctx.Utcb, ...))</c>) or a
/// host-driven thread (<c>thread.Call(cap, L4Sys.TaskMap(thread.Utcb, ...))</c>).
/// </summary>
/// <remarks>Source: l4re-core l4sys/include/{task,factory,thread,scheduler,icu,irq,rcv_endpoint,ipc_gate,semaphore,vcon}.h.</remarks>
public static class L4Sys
{
    private static void ObjItem(Utcb u, int at, CapSel cap, CapRights rights = CapRights.RWS, byte attributes = 0)
    {
        u.Mrs[at] = SndItem.MapObj(0, false, attributes).Raw;
        u.Mrs[at + 1] = Fpage.Obj(cap, 0, rights).Raw;
    }

    /// <summary><c>l4_task_map</c>: map <paramref name="sendFpage"/> of <paramref name="sourceTask"/> at <paramref name="sendBase"/> into the invoked task.</summary>
    public static MsgTag TaskMap(Utcb utcb, CapSel sourceTask, Fpage sendFpage, ulong sendBase, bool grant = false)
    {
        ArgumentNullException.ThrowIfNull(utcb);
        utcb.Mrs[0] = (ulong)TaskOp.Map;
        utcb.Mrs[1] = sendFpage.IsObj ? SndItem.MapObj(sendBase, grant).Raw : SndItem.Map(sendBase, 0, grant).Raw;
        utcb.Mrs[2] = sendFpage.Raw;
        ObjItem(utcb, 3, sourceTask);
        return MsgTag.Of(ProtocolLabel.Task, 3, 1);
    }

    /// <summary><c>l4_task_map</c> with an explicit control word (cacheability, object attributes).</summary>
    public static MsgTag TaskMap(Utcb utcb, CapSel sourceTask, Fpage sendFpage, SndItem control)
    {
        ArgumentNullException.ThrowIfNull(utcb);
        utcb.Mrs[0] = (ulong)TaskOp.Map;
        utcb.Mrs[1] = control.Raw;
        utcb.Mrs[2] = sendFpage.Raw;
        ObjItem(utcb, 3, sourceTask);
        return MsgTag.Of(ProtocolLabel.Task, 3, 1);
    }

    /// <summary><c>l4_task_unmap</c>.</summary>
    public static MsgTag TaskUnmap(Utcb utcb, Fpage fpage, UnmapFlags flags)
    {
        ArgumentNullException.ThrowIfNull(utcb);
        utcb.Mrs[0] = (ulong)TaskOp.Unmap;
        utcb.Mrs[1] = (uint)flags;
        utcb.Mrs[2] = fpage.Raw;
        return MsgTag.Of(ProtocolLabel.Task, 3);
    }

    /// <summary><c>l4_task_cap_valid</c>: answer label 1 when the selector names a capability in the task.</summary>
    public static MsgTag TaskCapValid(Utcb utcb, CapSel cap)
    {
        ArgumentNullException.ThrowIfNull(utcb);
        utcb.Mrs[0] = (ulong)TaskOp.CapInfo;
        utcb.Mrs[1] = cap.Raw & ~1UL;
        return MsgTag.Of(ProtocolLabel.Task, 2);
    }

    /// <summary><c>l4_task_cap_equal</c>: answer label 1 when both selectors name the same object with the same rights.</summary>
    public static MsgTag TaskCapEqual(Utcb utcb, CapSel a, CapSel b)
    {
        ArgumentNullException.ThrowIfNull(utcb);
        utcb.Mrs[0] = (ulong)TaskOp.CapInfo;
        utcb.Mrs[1] = a.Raw;
        utcb.Mrs[2] = b.Raw;
        return MsgTag.Of(ProtocolLabel.Task, 3);
    }

    /// <summary><c>l4_factory_create_start_u</c> + commit: create an object of <paramref name="kind"/> into <paramref name="target"/> (no further arguments).</summary>
    public static MsgTag FactoryCreate(Utcb utcb, ProtocolLabel kind, CapSel target)
    {
        ArgumentNullException.ThrowIfNull(utcb);
        utcb.Mrs[0] = unchecked((ulong)(long)kind);
        utcb.Bdr = default;
        utcb.Brs[0] = BufItem.SmallObj(target).Raw;
        return MsgTag.Of(ProtocolLabel.Factory, 1);
    }

    /// <summary><c>l4_factory_create_task</c> with a UTCB area flexpage (may be <see cref="Fpage.Invalid"/>).</summary>
    public static MsgTag FactoryCreateTask(Utcb utcb, CapSel target, Fpage utcbArea)
    {
        FactoryCreate(utcb, ProtocolLabel.Task, target);
        utcb.Mrs[1] = (ulong)VargType.Fpage | (8UL << 16);
        utcb.Mrs[2] = utcbArea.Raw;
        return MsgTag.Of(ProtocolLabel.Factory, 3);
    }

    /// <summary><c>l4_factory_create_factory</c> with a quota of <paramref name="limit"/> bytes.</summary>
    public static MsgTag FactoryCreateFactory(Utcb utcb, CapSel target, ulong limit)
    {
        FactoryCreate(utcb, ProtocolLabel.Factory, target);
        utcb.Mrs[1] = (ulong)VargType.UMword | (8UL << 16);
        utcb.Mrs[2] = limit;
        return MsgTag.Of(ProtocolLabel.Factory, 3);
    }

    /// <summary><c>l4_factory_create_gate</c>: an IPC gate bound to <paramref name="thread"/> (invalid: unbound) with <paramref name="label"/>.</summary>
    public static MsgTag FactoryCreateGate(Utcb utcb, CapSel target, CapSel thread, ulong label)
    {
        FactoryCreate(utcb, 0, target);
        utcb.Mrs[1] = (ulong)VargType.UMword | (8UL << 16);
        utcb.Mrs[2] = label;
        if (thread.IsInvalid)
            return MsgTag.Of(ProtocolLabel.Factory, 3);
        ObjItem(utcb, 3, thread);
        return MsgTag.Of(ProtocolLabel.Factory, 3, 1);
    }

    /// <summary>Thread control (<c>l4_thread_control_*</c>): set pager and/or exception handler, bind to a task.</summary>
    public static MsgTag ThreadControl(Utcb utcb, CapSel? pager = null, CapSel? exceptionHandler = null, CapSel? bindTask = null, ulong utcbAddress = 0)
    {
        ArgumentNullException.ThrowIfNull(utcb);
        var flags = ThreadControlFlags.None;
        if (pager is { } p)
        {
            flags |= ThreadControlFlags.SetPager;
            utcb.Mrs[1] = p.Raw;
        }
        if (exceptionHandler is { } e)
        {
            flags |= ThreadControlFlags.SetExcHandler;
            utcb.Mrs[2] = e.Raw;
        }
        utcb.Mrs[3] = 0;
        utcb.Mrs[4] = 0;
        utcb.Mrs[5] = utcbAddress;
        uint items = 0;
        if (bindTask is { } t)
        {
            flags |= ThreadControlFlags.BindTask;
            ObjItem(utcb, 6, t);
            items = 1;
        }
        utcb.Mrs[0] = (ulong)flags;
        return MsgTag.Of(ProtocolLabel.Thread, 6, items);
    }

    /// <summary><c>l4_thread_ex_regs</c>.</summary>
    public static MsgTag ThreadExRegs(Utcb utcb, ulong ip, ulong sp, ExRegsFlags flags = ExRegsFlags.None)
    {
        ArgumentNullException.ThrowIfNull(utcb);
        utcb.Mrs[0] = (ulong)ThreadOp.ExRegs | (ulong)flags;
        utcb.Mrs[1] = ip;
        utcb.Mrs[2] = sp;
        return MsgTag.Of(ProtocolLabel.Thread, 3);
    }

    /// <summary>A one-word thread operation (<c>switch</c>, <c>stats</c>, <c>vcpu_resume</c> without items).</summary>
    public static MsgTag ThreadOperation(Utcb utcb, ThreadOp op)
    {
        ArgumentNullException.ThrowIfNull(utcb);
        utcb.Mrs[0] = (ulong)op;
        return MsgTag.Of(ProtocolLabel.Thread, 1);
    }

    /// <summary><c>l4_thread_vcpu_control</c>.</summary>
    public static MsgTag ThreadVcpuControl(Utcb utcb, ulong vcpuState)
    {
        ArgumentNullException.ThrowIfNull(utcb);
        utcb.Mrs[0] = (ulong)ThreadOp.VcpuControl;
        utcb.Mrs[1] = vcpuState;
        return MsgTag.Of(ProtocolLabel.Thread, 2);
    }

    /// <summary><c>l4_scheduler_run_thread</c> with the legacy fixed-priority parameters on CPU 0.</summary>
    public static MsgTag SchedulerRunThread(Utcb utcb, CapSel thread, ulong priority, ulong quantumMicroseconds = 0)
    {
        ArgumentNullException.ThrowIfNull(utcb);
        utcb.Mrs[0] = (ulong)SchedulerOp.RunThread;
        utcb.Mrs[1] = 0; // granularity 0, offset 0
        utcb.Mrs[2] = 1; // CPU 0
        utcb.Mrs[3] = priority;
        utcb.Mrs[4] = quantumMicroseconds;
        ObjItem(utcb, 5, thread);
        return MsgTag.Of(ProtocolLabel.Scheduler, 5, 1);
    }

    /// <summary><c>l4_scheduler_info</c> for CPUs from 0.</summary>
    public static MsgTag SchedulerInfo(Utcb utcb)
    {
        ArgumentNullException.ThrowIfNull(utcb);
        utcb.Mrs[0] = (ulong)SchedulerOp.Info;
        utcb.Mrs[1] = 0;
        return MsgTag.Of(ProtocolLabel.Scheduler, 2);
    }

    /// <summary><c>l4_scheduler_idle_time</c> of CPU 0.</summary>
    public static MsgTag SchedulerIdleTime(Utcb utcb)
    {
        ArgumentNullException.ThrowIfNull(utcb);
        utcb.Mrs[0] = (ulong)SchedulerOp.IdleTime;
        utcb.Mrs[1] = 0;
        utcb.Mrs[2] = 1;
        return MsgTag.Of(ProtocolLabel.Scheduler, 3);
    }

    /// <summary><c>l4_rcv_ep_bind_thread</c> / <c>l4_ipc_gate_bind_thread</c>: bind an IPC gate or IRQ to <paramref name="thread"/> with <paramref name="label"/>.</summary>
    public static MsgTag RcvEpBind(Utcb utcb, CapSel thread, ulong label)
    {
        ArgumentNullException.ThrowIfNull(utcb);
        utcb.Mrs[0] = (ulong)RcvEndpointOp.Bind;
        utcb.Mrs[1] = label;
        ObjItem(utcb, 2, thread);
        return MsgTag.Of(ProtocolLabel.KObject, 2, 1);
    }

    /// <summary><c>l4_ipc_gate_get_infos</c>: the answer's mr0 is the gate label.</summary>
    public static MsgTag IpcGateGetInfo(Utcb utcb)
    {
        ArgumentNullException.ThrowIfNull(utcb);
        utcb.Mrs[0] = (ulong)RcvEndpointOp.GetInfo;
        return MsgTag.Of(ProtocolLabel.KObject, 1);
    }

    /// <summary><c>l4_irq_trigger</c> (also semaphore up): an IRQ-protocol message without words.</summary>
    public static MsgTag IrqTrigger() => MsgTag.Of(ProtocolLabel.Irq, 0);

    /// <summary><c>l4_irq_unmask</c> / EOI; sent with a receive phase it waits for the next IRQ.</summary>
    public static MsgTag IrqEoi(Utcb utcb)
    {
        ArgumentNullException.ThrowIfNull(utcb);
        utcb.Mrs[0] = (ulong)IrqOp.Eoi;
        return MsgTag.Of(ProtocolLabel.Irq, 1);
    }

    /// <summary><c>l4_irq_detach</c>.</summary>
    public static MsgTag IrqDetach(Utcb utcb)
    {
        ArgumentNullException.ThrowIfNull(utcb);
        utcb.Mrs[0] = (ulong)IrqSenderOp.Detach;
        return MsgTag.Of(ProtocolLabel.IrqSender, 1);
    }

    /// <summary><c>l4_semaphore_down</c> (the receive timeout bounds the wait).</summary>
    public static MsgTag SemaphoreDown(Utcb utcb)
    {
        ArgumentNullException.ThrowIfNull(utcb);
        utcb.Mrs[0] = (ulong)SemaphoreOp.Down;
        return MsgTag.Of(ProtocolLabel.Semaphore, 1);
    }

    /// <summary><c>l4_icu_bind</c>: bind IRQ <paramref name="irq"/> to pin <paramref name="pin"/>.</summary>
    public static MsgTag IcuBind(Utcb utcb, uint pin, CapSel irq)
    {
        ArgumentNullException.ThrowIfNull(utcb);
        utcb.Mrs[0] = (ulong)IcuOp.Bind;
        utcb.Mrs[1] = pin;
        ObjItem(utcb, 2, irq);
        return MsgTag.Of(ProtocolLabel.Irq, 2, 1);
    }

    /// <summary><c>l4_icu_unbind</c>.</summary>
    public static MsgTag IcuUnbind(Utcb utcb, uint pin, CapSel irq)
    {
        IcuBind(utcb, pin, irq);
        utcb.Mrs[0] = (ulong)IcuOp.Unbind;
        return MsgTag.Of(ProtocolLabel.Irq, 2, 1);
    }

    /// <summary><c>l4_icu_info</c>: the answer holds features, pins, MSIs in mr0–mr2.</summary>
    public static MsgTag IcuInfo(Utcb utcb)
    {
        ArgumentNullException.ThrowIfNull(utcb);
        utcb.Mrs[0] = (ulong)IcuOp.Info;
        return MsgTag.Of(ProtocolLabel.Irq, 1);
    }

    /// <summary><c>l4_icu_mask</c> / <c>l4_icu_unmask</c> (no reply).</summary>
    public static MsgTag IcuMask(Utcb utcb, uint pin, bool mask)
    {
        ArgumentNullException.ThrowIfNull(utcb);
        utcb.Mrs[0] = (ulong)(mask ? IcuOp.Mask : IcuOp.Unmask);
        utcb.Mrs[1] = pin;
        return MsgTag.Of(ProtocolLabel.Irq, 2);
    }

    /// <summary><c>l4_icu_set_mode</c>.</summary>
    public static MsgTag IcuSetMode(Utcb utcb, uint pin, IrqMode mode)
    {
        ArgumentNullException.ThrowIfNull(utcb);
        utcb.Mrs[0] = (ulong)IcuOp.SetMode;
        utcb.Mrs[1] = pin;
        utcb.Mrs[2] = (ulong)mode;
        return MsgTag.Of(ProtocolLabel.Irq, 3);
    }

    /// <summary>IOMMU bind: attach DMA space <paramref name="dmaSpace"/> to device source id <paramref name="sourceId"/>.</summary>
    public static MsgTag IommuBind(Utcb utcb, ulong sourceId, CapSel dmaSpace, bool unbind = false)
    {
        ArgumentNullException.ThrowIfNull(utcb);
        utcb.Mrs[0] = (ulong)(unbind ? IommuOp.Unbind : IommuOp.Bind);
        utcb.Mrs[1] = sourceId;
        ObjItem(utcb, 2, dmaSpace);
        return MsgTag.Of(ProtocolLabel.Iommu, 2, 1);
    }

    /// <summary><c>l4_vcon_write</c>: up to 488 bytes.</summary>
    public static MsgTag VlogWrite(Utcb utcb, ReadOnlySpan<byte> bytes)
    {
        ArgumentNullException.ThrowIfNull(utcb);
        var n = Math.Min(bytes.Length, (Utcb.MaxWords - 2) * 8);
        utcb.Mrs[0] = (ulong)VlogOp.Write;
        utcb.Mrs[1] = (ulong)n;
        var words = (n + 7) / 8;
        for (var w = 0; w < words; w++)
        {
            ulong v = 0;
            for (var k = 0; k < 8 && w * 8 + k < n; k++)
                v |= (ulong)bytes[w * 8 + k] << (8 * k);
            utcb.Mrs[2 + w] = v;
        }
        return MsgTag.Of(ProtocolLabel.Log, (uint)(2 + words));
    }

    /// <summary>Sets up a single-capability receive buffer at buffer register 0 (what L4Re's IPC stubs do to receive one capability into <paramref name="slot"/>).</summary>
    public static void ReceiveCapability(Utcb utcb, CapSel slot)
    {
        ArgumentNullException.ThrowIfNull(utcb);
        utcb.Bdr = default;
        utcb.Brs[0] = BufItem.SmallObj(slot).Raw;
        utcb.Brs[1] = 0;
    }

    /// <summary>Sets up a memory receive window at buffer registers 0–1 (e.g. <see cref="Fpage.All"/> for a pager client).</summary>
    public static void ReceiveMemory(Utcb utcb, Fpage window)
    {
        ArgumentNullException.ThrowIfNull(utcb);
        utcb.Bdr = default;
        utcb.Brs[0] = BufItem.Map().Raw;
        utcb.Brs[1] = window.Raw;
        utcb.Brs[2] = 0;
    }
}
