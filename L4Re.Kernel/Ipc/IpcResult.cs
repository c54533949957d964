using L4Re.Kernel.Abi;

namespace L4Re.Kernel.Ipc;

/// <summary>
/// The outcome of a system call: the returned message tag, the label (who sent: an IPC gate's label
/// with the caller's rights bits, an IRQ's label, or a thread-capability sender's label) and the UTCB
/// error word (meaningful when <see cref="MsgTag.Error"/> is set in the tag).
/// </summary>
/// <param name="Tag">The returned tag.</param>
/// <param name="Label">The received label.</param>
/// <param name="Error">The UTCB error word.</param>
public readonly record struct IpcResult(MsgTag Tag, ulong Label, IpcErrorWord Error)
{
    /// <summary>The result of a host-driven call whose thread is still blocked when the system went idle.</summary>
    public static IpcResult Blocked => new(default, 0, default) { IsBlocked = true };

    /// <summary>True when the thread is still blocked (the real thread would still be waiting).</summary>
    public bool IsBlocked { get; private init; }

    /// <summary>True when the IPC failed (see <see cref="ErrorCode"/>).</summary>
    public bool HasError => Tag.HasError;

    /// <summary>The IPC error code, or <see cref="IpcErrorCode.None"/>.</summary>
    public IpcErrorCode ErrorCode => Tag.HasError ? Error.Code : IpcErrorCode.None;

    /// <summary>The generic error a kernel object answered with (negative label), or <see cref="L4Error.Ok"/>.</summary>
    public L4Error ResultError => Tag.HasError ? L4Error.Ok : Tag.ResultError;

    /// <inheritdoc />
    public override string ToString() => IsBlocked ? "blocked" : HasError ? $"error {ErrorCode}" : $"{Tag} label=0x{Label:x}";
}
