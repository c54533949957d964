using L4Re.Kernel.Abi;
using L4Re.Kernel.Caps;
using L4Re.Kernel.Ipc;

namespace L4Re.Kernel.Objects;

/// <summary>
/// A kernel object (Fiasco's <c>Kobject</c>): reachable only through capabilities, charged to the
/// RAM quota of the factory that created it, and deleted when its last counted capability goes away
/// or a holder of the D right deletes it. Invoking a capability runs the object's protocol.
/// </summary>
public abstract class KernelObject
{
    private List<CapHolder>? _holders;

    /// <summary>Creates the object; the creator has already charged <paramref name="size"/> bytes to <paramref name="quota"/>.</summary>
    private protected KernelObject(Microkernel kernel, Factory? quota, long size)
    {
        Kernel = kernel;
        Id = kernel.NextObjectId();
        Quota = quota;
        Charged = size;
        kernel.OnObjectCreated(this);
    }

    /// <summary>The kernel the object lives in.</summary>
    public Microkernel Kernel { get; }

    /// <summary>A number unique within the kernel, in creation order (for traces and graphs).</summary>
    public long Id { get; }

    /// <summary>The protocol label of the object's kind (<see cref="ProtocolLabel.Task"/>, ...).</summary>
    public abstract ProtocolLabel Protocol { get; }

    /// <summary>The L4Re name of the object's kind (Task, Thread, Ipc_gate, ...).</summary>
    public abstract string KindName { get; }

    /// <summary>An optional name for diagnostics.</summary>
    public string? Name { get; set; }

    /// <summary>True once the object has been deleted; its capabilities are invalid.</summary>
    public bool IsDeleted { get; private set; }

    /// <summary>The factory whose quota pays for the object (null for the boot objects).</summary>
    public Factory? Quota { get; }

    internal long Charged;
    internal int CountedRefs;

    /// <summary>The capability slots that name this object.</summary>
    internal IReadOnlyList<CapHolder> Holders => (IReadOnlyList<CapHolder>?)_holders ?? [];

    internal void AddHolder(CapSpace space, ulong index, bool counted)
    {
        (_holders ??= new List<CapHolder>(2)).Add(new CapHolder(space, index));
        if (counted)
            CountedRefs++;
    }

    internal void RemoveHolder(CapSpace space, ulong index, bool counted)
    {
        if (_holders is not null)
        {
            for (var i = 0; i < _holders.Count; i++)
            {
                if (ReferenceEquals(_holders[i].Space, space) && _holders[i].Index == index)
                {
                    _holders.RemoveAt(i);
                    break;
                }
            }
        }
        if (counted)
            CountedRefs--;
    }

    /// <summary>
    /// Deletes the object (Fiasco's <c>initiate_deletion</c> + <c>destroy</c>): every capability to it
    /// becomes invalid, the kind-specific cleanup runs and the quota is refunded.
    /// </summary>
    internal void Delete()
    {
        if (IsDeleted)
            return;
        IsDeleted = true;
        if (_holders is not null)
        {
            var holders = _holders.ToArray();
            _holders.Clear();
            CountedRefs = 0;
            foreach (var h in holders)
                h.Space.InvalidateSlot(h.Index, this);
        }
        Kernel.Trace.Record(TraceKind.ObjectDeleted, null, this, 0, 0);
        OnDestroy();
        ReleaseQuota();
        Kernel.OnObjectDeleted(this);
    }

    /// <summary>Refunds the object's memory to its factory.</summary>
    private protected virtual void ReleaseQuota() => Quota?.Refund(Charged);

    /// <summary>Kind-specific cleanup when the object is deleted.</summary>
    private protected virtual void OnDestroy()
    {
    }

    /// <summary>
    /// Invokes the object through a capability (the system-call path, Fiasco's <c>Kobject_h::invoke</c>):
    /// with a send phase the object's protocol runs; a reply completes the call, a "no reply"
    /// (<see cref="MsgTag.Schedule"/>) with a receive phase makes the caller wait on the object.
    /// </summary>
    internal virtual void Invoke(L4Thread ct, SyscallFlags op, CapRights rights, byte attr)
    {
        var res = MsgTag.NoReply;
        var have = (op & SyscallFlags.Recv) != 0;
        if ((op & SyscallFlags.Send) != 0)
            res = KInvoke(ct, rights, attr, ct.SysTag, ct.Utcb, have ? ct.Utcb : Kernel.DummyUtcb);
        if (res.HasError)
        {
            ct.CompleteSyscall(res, 0);
            return;
        }
        if (have)
        {
            if (!res.DoSwitch)
            {
                // "No reply": wait for an IPC from the object (an IRQ) or, for objects that never send, from ourselves.
                IIpcSender? sender = (op & SyscallFlags.OpenWait) != 0 ? null : this as IIpcSender ?? ct;
                ct.DoIpc(ct.SysTag, 0, null, true, sender, ct.SysTimeouts, CapRights.RWS);
                return;
            }
            ct.CompleteSyscall(res, 0);
            return;
        }
        ct.CompleteSyscall(ct.SysTag, 0);
    }

    /// <summary>Runs one operation of the object's protocol (Fiasco's <c>kinvoke</c>) and returns the reply tag.</summary>
    /// <param name="ct">The invoking thread.</param>
    /// <param name="rights">The rights of the invoked capability (W, S; R implied).</param>
    /// <param name="attr">The object attributes of the capability (bits 4–7 of its attributes).</param>
    /// <param name="tag">The message tag.</param>
    /// <param name="input">The UTCB with the request.</param>
    /// <param name="output">The UTCB receiving results (a scratch UTCB when the caller has no receive phase).</param>
    private protected virtual MsgTag KInvoke(L4Thread ct, CapRights rights, byte attr, MsgTag tag, Utcb input, Utcb output) =>
        MsgTag.FromError(L4Error.NoSys);

    /// <inheritdoc />
    public override string ToString() => Name is null ? $"{KindName}#{Id}" : $"{KindName}#{Id}({Name})";
}

/// <summary>One capability slot naming an object: a task's capability space and an index.</summary>
internal readonly record struct CapHolder(CapSpace Space, ulong Index);
