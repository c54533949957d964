using L4Re.Kernel.Abi;
using L4Re.Kernel.Ipc;

namespace L4Re.Kernel.Objects;

/// <summary>
/// The scheduler object (boot capability <see cref="BootCap.Scheduler"/>, Fiasco's <c>Scheduler</c>):
/// <see cref="SchedulerOp.RunThread"/> gives a thread its priority (1..255; 0 is refused, larger values
/// are clamped) and time quantum and puts it on the CPU; <see cref="SchedulerOp.Info"/> describes the
/// CPUs (one in this model) and scheduling classes; <see cref="SchedulerOp.IdleTime"/> reports the
/// virtual time the CPU idled, in µs.
/// </summary>
public sealed class Scheduler : KernelObject
{
    /// <summary>The scheduling class mask of fixed-priority scheduling (<c>L4_SCHEDULER_CLASS_FIXED_PRIO</c>).</summary>
    public const ulong ClassFixedPrio = 1UL << 1;

    internal Scheduler(Microkernel kernel)
        : base(kernel, null, 0)
    {
    }

    /// <inheritdoc />
    public override ProtocolLabel Protocol => ProtocolLabel.Scheduler;

    /// <inheritdoc />
    public override string KindName => "Scheduler";

    /// <summary>
    /// Runs <paramref name="thread"/> with <paramref name="priority"/> and a quantum (0 = default) — the
    /// host API of <c>l4_scheduler_run_thread</c>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The priority is 0.</exception>
    public void RunThread(L4Thread thread, int priority, long quantumNs = 0)
    {
        ArgumentNullException.ThrowIfNull(thread);
        if (priority <= 0)
            throw new ArgumentOutOfRangeException(nameof(priority), priority, "priorities are 1..255 (0 is the kernel's)");
        thread.SetSchedParams((byte)Math.Min(priority, 255), quantumNs == 0 ? Kernel.Options.DefaultQuantumNs : quantumNs, onCpu: true);
    }

    private static bool ContainsCpu0(ulong granOffset, ulong map)
    {
        var gran = (int)Math.Min((granOffset >> 24) & 0xff, 24);
        var offset = (granOffset & 0xffffff) & ~((1UL << gran) - 1);
        return offset == 0 && (map & 1) != 0;
    }

    private protected override MsgTag KInvoke(L4Thread ct, CapRights rights, byte attr, MsgTag tag, Utcb input, Utcb output)
    {
        if (tag.Protocol == ProtocolLabel.Irq)
            return IcuProtocol.Invoke(ct, tag, input, output, 1, null);
        if (tag.Protocol != ProtocolLabel.Scheduler)
            return MsgTag.FromError(L4Error.BadProto);
        if (tag.Words < 1)
            return MsgTag.FromError(L4Error.MsgTooShort);
        switch ((SchedulerOp)input.Mrs[0])
        {
            case SchedulerOp.Info:
            {
                if (tag.Words < 2)
                    return MsgTag.FromError(L4Error.MsgTooShort);
                var granOffset = input.Mrs[1];
                var offset = granOffset & 0xffffff;
                if (offset >= 1)
                    return MsgTag.FromError(L4Error.Range);
                output.Mrs[0] = 1; // CPU 0 present
                output.Mrs[1] = 1; // maximum number of CPUs
                output.Mrs[2] = ClassFixedPrio;
                return MsgTag.Result(0, 3);
            }
            case SchedulerOp.RunThread:
                return SysRun(ct, tag, input);
            case SchedulerOp.IdleTime:
                if (tag.Words < 3)
                    return MsgTag.FromError(L4Error.MsgTooShort);
                if (!ContainsCpu0(input.Mrs[1], input.Mrs[2]))
                    return MsgTag.FromError(L4Error.Inval);
                output.Mrs[0] = (ulong)(Kernel.IdleNs / 1000);
                return MsgTag.Result(0, 1);
            default:
                return MsgTag.FromError(L4Error.NoSys);
        }
    }

    private MsgTag SysRun(L4Thread ct, MsgTag tag, Utcb input)
    {
        // Fiasco Scheduler::sys_run: opcode + L4_sched_param (cpu set 2 words, class/prio, length/quantum).
        if (tag.Words < 5)
            return MsgTag.FromError(L4Error.Inval);
        var thread = L4Task.DerefItem<L4Thread>(ct, tag, input, out _, out var err);
        if (thread is null)
            return err;
        var schedClass = (long)input.Mrs[3];
        long prio;
        ulong quantum;
        if (schedClass >= 0)
        {
            prio = schedClass; // legacy: the class word is the priority
            quantum = input.Mrs[4];
        }
        else if (schedClass == -1)
        {
            // L4_sched_param_fixed_prio: length in mr4 (bytes), then prio and quantum.
            if (input.Mrs[4] < 6 * 8 || tag.Words < 7)
                return MsgTag.FromError(L4Error.Inval);
            prio = (long)input.Mrs[5];
            quantum = input.Mrs[6];
        }
        else
        {
            return MsgTag.FromError(L4Error.Inval);
        }
        if (prio <= 0)
            return MsgTag.FromError(L4Error.Inval);
        var onCpu = ContainsCpu0(input.Mrs[1], input.Mrs[2]);
        var q = quantum == 0 || quantum > long.MaxValue / 1000 ? Kernel.Options.DefaultQuantumNs : (long)quantum * 1000;
        thread.SetSchedParams((byte)Math.Min(prio, 255), q, onCpu);
        return MsgTag.Result(0);
    }
}
