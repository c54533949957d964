using L4Re.Kernel.Abi;
using L4Re.Kernel.Ipc;
using L4Re.Kernel.Objects;

namespace L4Re.Kernel.Native;

/// <summary>
/// A synchronous server loop body (see <see cref="L4Thread.Serve"/>): the kernel calls
/// <see cref="Dispatch"/> for every message the server thread receives and replies with the returned tag
/// (<c>reply_and_wait</c> with a zero send timeout, as L4Re servers do). Because it never suspends in
/// the middle, the kernel can run it directly on a caller's stack when the caller switches to the server
/// — the synchronous IPC fast path. It may use the thread's UTCB and make system calls on its own thread
/// (<c>request.Server.Call(...)</c>, <see cref="L4Thread.Ipc"/>): kernel objects answer at once, and an operation
/// that would block is canceled, because a dispatch cannot be suspended.
/// </summary>
public interface IIpcServer
{
    /// <summary>Handles one request.</summary>
    /// <param name="request">Who sent what.</param>
    /// <param name="utcb">The server thread's UTCB: the request words on entry, the reply words on return.</param>
    /// <param name="reply">The reply tag.</param>
    /// <returns>True to reply, false to wait for the next message without replying.</returns>
    bool Dispatch(in IpcRequest request, Utcb utcb, out MsgTag reply);
}

/// <summary>One received request.</summary>
/// <param name="Server">The server thread.</param>
/// <param name="Label">The label: the IPC gate's label | caller rights (W = 1, S = 2), or an IRQ label.</param>
/// <param name="Tag">The received tag.</param>
public readonly record struct IpcRequest(L4Thread Server, ulong Label, MsgTag Tag);
