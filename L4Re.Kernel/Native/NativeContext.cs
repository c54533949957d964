using System.Text;
using L4Re.Kernel.Abi;
using L4Re.Kernel.Ipc;
using L4Re.Kernel.Objects;

namespace L4Re.Kernel.Native;

/// <summary>
/// A native program's view of the kernel (the <c>l4sys</c> system-call bindings plus the program's
/// environment): its thread, task and UTCB, the IPC operations as awaitable kernel entries, virtual
/// CPU time, and memory access with page faults handled by the pager. All operations act on behalf of
/// the program's own thread; use them only from the program's code.
/// </summary>
public sealed class NativeContext
{
    private readonly AsyncDriver _driver;

    internal NativeContext(L4Thread thread, AsyncDriver driver)
    {
        Thread = thread;
        _driver = driver;
    }

    /// <summary>The program's thread.</summary>
    public L4Thread Thread { get; }

    /// <summary>The kernel.</summary>
    public Microkernel Kernel => Thread.Kernel;

    /// <summary>The program's task.</summary>
    public L4Task Task => Thread.Task ?? throw new InvalidOperationException($"{Thread} is not bound");

    /// <summary>The thread's UTCB: message registers, buffer registers, error word.</summary>
    public Utcb Utcb => Thread.Utcb;

    /// <summary>The virtual time in nanoseconds.</summary>
    public long Now => Kernel.Now;

    /// <summary>The kernel's deterministic random source (seeded by <see cref="KernelOptions.Seed"/>).</summary>
    public Random Random => Kernel.Random;

    // ---- IPC ----------------------------------------------------------------------------------

    /// <summary>The system call (<c>l4_ipc</c>): invokes <paramref name="dest"/> with the flags in its low bits.</summary>
    public SyscallAwaitable Ipc(CapSel dest, MsgTag tag, TimeoutPair timeouts = default, ulong label = 0)
    {
        if (!ReferenceEquals(Kernel.Current, Thread) || !ReferenceEquals(Thread.Driver, _driver))
            throw new InvalidOperationException($"kernel operation of {Thread} invoked outside its own program");
        var t = Thread;
        Kernel.Syscall(t, dest, tag, timeouts, label);
        var completed = t.SysDone;
        if (completed && Kernel.ShouldPreempt(t))
        {
            Kernel.Preempt(t);
            completed = false;
        }
        return new SyscallAwaitable(t, _driver, completed);
    }

    /// <summary><c>l4_ipc_call</c>: send to <paramref name="dest"/>, then receive its reply.</summary>
    public SyscallAwaitable Call(CapSel dest, MsgTag tag, TimeoutPair timeouts = default) => Ipc(dest.WithFlags(SyscallFlags.Call), tag, timeouts);

    /// <summary><c>l4_ipc_send</c>.</summary>
    public SyscallAwaitable Send(CapSel dest, MsgTag tag, TimeoutPair timeouts = default, ulong label = 0) => Ipc(dest.WithFlags(SyscallFlags.Send), tag, timeouts, label);

    /// <summary><c>l4_ipc_wait</c>: open wait for any sender.</summary>
    public SyscallAwaitable Wait(TimeoutPair timeouts = default) => Ipc(CapSel.Invalid.WithFlags(SyscallFlags.Wait), default, timeouts);

    /// <summary><c>l4_ipc_receive</c>: closed wait for <paramref name="from"/>.</summary>
    public SyscallAwaitable Receive(CapSel from, TimeoutPair timeouts = default) => Ipc(from.WithFlags(SyscallFlags.Recv), default, timeouts);

    /// <summary><c>l4_ipc_reply_and_wait</c>: reply to the caller (send timeout zero by default) and wait for the next message.</summary>
    public SyscallAwaitable ReplyAndWait(MsgTag tag, TimeoutPair? timeouts = null) =>
        Ipc(CapSel.Invalid.WithFlags(SyscallFlags.ReplyAndWait), tag, timeouts ?? TimeoutPair.SendZero);

    /// <summary><c>l4_ipc_send_and_wait</c>: send to <paramref name="dest"/> and wait for any message.</summary>
    public SyscallAwaitable SendAndWait(CapSel dest, MsgTag tag, TimeoutPair timeouts = default) => Ipc(dest.WithFlags(SyscallFlags.SendAndWait), tag, timeouts);

    /// <summary>Replies to the caller without waiting.</summary>
    public SyscallAwaitable Reply(MsgTag tag, TimeoutPair? timeouts = null) =>
        Ipc(CapSel.Invalid.WithFlags(SyscallFlags.Send | SyscallFlags.Reply), tag, timeouts ?? TimeoutPair.SendZero);

    /// <summary><c>l4_ipc_sleep</c>: a closed receive from nobody (this thread) with <paramref name="timeout"/>; completes with a receive timeout.</summary>
    public SyscallAwaitable Sleep(L4Timeout timeout) => Ipc(CapSel.Invalid.WithFlags(SyscallFlags.Recv), default, new TimeoutPair(L4Timeout.Never, timeout));

    /// <summary>Sleeps for <paramref name="microseconds"/> of virtual time (rounded up to the timeout encoding).</summary>
    public SyscallAwaitable SleepMicroseconds(ulong microseconds) => Sleep(L4Timeout.FromMicroseconds(microseconds));

    /// <summary>
    /// Spends <paramref name="nanoseconds"/> of virtual CPU time (models computation between kernel
    /// calls); the thread can be preempted in the middle and continues later.
    /// </summary>
    public SyscallAwaitable Compute(long nanoseconds)
    {
        if (!ReferenceEquals(Kernel.Current, Thread))
            throw new InvalidOperationException($"kernel operation of {Thread} invoked outside its own program");
        _driver.ComputeLeft = Math.Max(0, nanoseconds);
        var completed = Kernel.ContinueCompute(Thread, _driver);
        if (completed && Kernel.ShouldPreempt(Thread))
        {
            Kernel.Preempt(Thread);
            completed = false;
        }
        return new SyscallAwaitable(Thread, _driver, completed);
    }

    /// <summary>Gives up the rest of the time slice (<c>l4_thread_yield</c>): other ready threads of the same priority run first.</summary>
    public SyscallAwaitable Yield()
    {
        if (!ReferenceEquals(Kernel.Current, Thread))
            throw new InvalidOperationException($"kernel operation of {Thread} invoked outside its own program");
        var others = Kernel.Ready.HighestPriority >= Thread.Priority;
        if (others)
        {
            Thread.SliceLeft = 0;
            Kernel.Preempt(Thread);
        }
        return new SyscallAwaitable(Thread, _driver, !others);
    }

    // ---- memory -------------------------------------------------------------------------------

    /// <summary>
    /// Makes sure <paramref name="address"/> is mapped with the needed access, raising page faults to the
    /// thread's pager (label <see cref="ProtocolLabel.PageFault"/>, mr0 = address | not-present 1 | write 2 |
    /// execute 4, mr1 = ip, receive window <see cref="Fpage.All"/>) until the pager's map reply resolves it.
    /// Without a pager the thread is killed; a pager that refuses (negative label) turns the fault into an
    /// exception IPC.
    /// </summary>
    /// <returns>True when the page is accessible.</returns>
    public async Task<bool> TouchAsync(ulong address, bool write = false, bool execute = false)
    {
        var need = MemRights.R | (write ? MemRights.W : 0) | (execute ? MemRights.X : 0);
        for (var attempt = 0; ; attempt++)
        {
            var mapped = Task.Memory.TryTranslate(address, out var t);
            if (mapped && (t.Rights & need) == need)
                return true;
            if (!Task.Caps!.TryLookup(Thread.Pager.Index, out var pager, out _) || Thread.Pager.IsInvalid)
            {
                Thread.Kill($"page fault at 0x{address:x} without a pager");
                await Wait(); // never completes: the thread is dead
                return false;
            }
            Kernel.Trace.Record(TraceKind.PageFault, Thread, pager, address, write ? 1UL : 0);
            var saved = SaveFaultRegisters();
            Utcb.Bdr = new BufDesc(0, 0, 0, inheritFpu: true);
            Utcb.Brs[0] = BufItem.Map().Raw;
            Utcb.Brs[1] = Fpage.All.Raw;
            Utcb.Mrs[0] = (address & ~7UL) | (mapped ? 0UL : 1UL) | (write ? 2UL : 0) | (execute ? 4UL : 0);
            Utcb.Mrs[1] = Thread.Ip;
            var r = await Call(Thread.Pager, MsgTag.Of(ProtocolLabel.PageFault, 2), TimeoutPair.Never);
            RestoreFaultRegisters(saved);
            var failed = r.HasError
                ? r.Error.IsSendPhase && r.ErrorCode == IpcErrorCode.NotExistent
                : r.Tag.Label < 0;
            if (failed)
            {
                var state = new ulong[] { address, Thread.Ip, write ? 1UL : 0 };
                await RaiseExceptionAsync(state);
                return false;
            }
        }
    }

    /// <summary>Reads from the task's memory, faulting pages in through the pager.</summary>
    /// <returns>False when a page could not be made readable.</returns>
    public async Task<bool> ReadAsync(ulong address, Memory<byte> destination)
    {
        for (var done = 0; done < destination.Length;)
        {
            var a = address + (ulong)done;
            var n = Math.Min(destination.Length - done, 4096 - (int)(a & 0xfff));
            if (!Task.Memory.TryRead(a, destination.Span.Slice(done, n)))
            {
                if (!await TouchAsync(a))
                    return false;
                continue;
            }
            done += n;
        }
        return true;
    }

    /// <summary>Writes to the task's memory, faulting pages in through the pager.</summary>
    /// <returns>False when a page could not be made writable.</returns>
    public async Task<bool> WriteAsync(ulong address, ReadOnlyMemory<byte> source)
    {
        for (var done = 0; done < source.Length;)
        {
            var a = address + (ulong)done;
            var n = Math.Min(source.Length - done, 4096 - (int)(a & 0xfff));
            if (!Task.Memory.TryWrite(a, source.Span.Slice(done, n)))
            {
                if (!await TouchAsync(a, write: true))
                    return false;
                continue;
            }
            done += n;
        }
        return true;
    }

    private (ulong, ulong, BufDesc, ulong, ulong) SaveFaultRegisters() => (Utcb.Mrs[0], Utcb.Mrs[1], Utcb.Bdr, Utcb.Brs[0], Utcb.Brs[1]);

    private void RestoreFaultRegisters((ulong, ulong, BufDesc, ulong, ulong) s) =>
        (Utcb.Mrs[0], Utcb.Mrs[1], Utcb.Bdr, Utcb.Brs[0], Utcb.Brs[1]) = s;

    // ---- exceptions ---------------------------------------------------------------------------

    /// <summary>
    /// Raises an exception: calls the exception handler with label <see cref="ProtocolLabel.Exception"/>
    /// and <paramref name="state"/> as message words (at most 63; the architecture's trap-state layout,
    /// e.g. 41 words on MIPS), receive window <see cref="Fpage.All"/>. The handler's reply words are copied
    /// back into <paramref name="state"/>. Without a handler the thread calls itself and blocks (as Fiasco does).
    /// </summary>
    /// <returns>The handler's reply tag.</returns>
    public async Task<MsgTag> RaiseExceptionAsync(ulong[] state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var words = Math.Min(state.Length, Utcb.MaxWords);
        var handler = Task.Caps!.TryLookup(Thread.ExceptionHandler.Index, out _, out _) && !Thread.ExceptionHandler.IsInvalid
            ? Thread.ExceptionHandler
            : CapSel.Invalid; // block on ourselves
        Kernel.Trace.Record(TraceKind.Exception, Thread, null, words > 0 ? state[0] : 0, 0);
        var saved = (Utcb.Bdr, Utcb.Brs[0], Utcb.Brs[1]);
        Utcb.Bdr = new BufDesc(0, 0, 0, inheritFpu: true);
        Utcb.Brs[0] = BufItem.Map().Raw;
        Utcb.Brs[1] = Fpage.All.Raw;
        state.AsSpan(0, words).CopyTo(Utcb.Mr);
        var r = await Call(handler, MsgTag.Of(ProtocolLabel.Exception, (uint)words, 0, MsgTag.TransferFpu), TimeoutPair.Never);
        (Utcb.Bdr, Utcb.Brs[0], Utcb.Brs[1]) = saved;
        if (!r.HasError)
            Utcb.Mr[..Math.Min(words, (int)r.Tag.Words)].CopyTo(state);
        return r.Tag;
    }

    internal async Task InvalidEntryAsync(ulong ip)
    {
        // Nothing is registered at the entry address: the CPU would fault on the first instruction.
        await RaiseExceptionAsync([ip, 0]);
    }

    internal void QueueTriggeredException(Action programContinuation) => _ = TriggeredExceptionAsync(programContinuation);

    private async Task TriggeredExceptionAsync(Action programContinuation)
    {
        await RaiseExceptionAsync([Thread.Ip, Thread.Sp]);
        programContinuation();
    }

    // ---- log ----------------------------------------------------------------------------------

    /// <summary>Writes <paramref name="text"/> to the kernel log through the capability <paramref name="log"/> (default: the boot log capability).</summary>
    public async Task PrintAsync(string text, CapSel? log = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = Encoding.UTF8.GetBytes(text);
        var cap = log ?? CapSel.FromBoot(BootCap.Log);
        const int chunk = (Utcb.MaxWords - 2) * 8;
        for (var off = 0; off < bytes.Length; off += chunk)
        {
            var n = Math.Min(chunk, bytes.Length - off);
            var words = L4Sys.VlogWrite(Utcb, bytes.AsSpan(off, n));
            await Send(cap, words, TimeoutPair.Never);
        }
    }
}
