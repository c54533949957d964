namespace L4Re.Kernel.Abi;

/// <summary>
/// The invocation flags of the single L4 system call (<c>L4_SYSF_*</c>), carried in bits 0–3 of
/// the capability selector. They select the phases of an IPC: send, receive, open wait and reply.
/// </summary>
/// <remarks>Source: l4re-core l4sys/include/consts.h.</remarks>
[Flags]
public enum SyscallFlags : byte
{
    /// <summary>No phase (<c>L4_SYSF_NONE</c>); for kernel objects the same as a send.</summary>
    None = 0x00,
    /// <summary>Send phase (<c>L4_SYSF_SEND</c>).</summary>
    Send = 0x01,
    /// <summary>Receive phase (<c>L4_SYSF_RECV</c>).</summary>
    Recv = 0x02,
    /// <summary>The receive phase accepts any sender (<c>L4_SYSF_OPEN_WAIT</c>).</summary>
    OpenWait = 0x04,
    /// <summary>The send phase goes to the reply capability (<c>L4_SYSF_REPLY</c>).</summary>
    Reply = 0x08,
    /// <summary>Send, then a closed receive from the same partner (<c>L4_SYSF_CALL</c>).</summary>
    Call = Send | Recv,
    /// <summary>Open wait (<c>L4_SYSF_WAIT</c>).</summary>
    Wait = OpenWait | Recv,
    /// <summary>Send, then open wait (<c>L4_SYSF_SEND_AND_WAIT</c>).</summary>
    SendAndWait = OpenWait | Call,
    /// <summary>Reply to the caller, then open wait (<c>L4_SYSF_REPLY_AND_WAIT</c>).</summary>
    ReplyAndWait = Wait | Send | Reply,
}
