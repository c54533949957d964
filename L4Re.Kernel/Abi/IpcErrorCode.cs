namespace L4Re.Kernel.Abi;

/// <summary>
/// IPC error codes found in the UTCB error word (<c>L4_IPC_*</c>, mask 0x1f) after a failed IPC
/// (the reply tag then has <see cref="MsgTag.Error"/> set). Odd values are receive-phase errors,
/// even values send-phase errors.
/// </summary>
/// <remarks>Source: l4re-core l4sys/include/ipc.h; fiasco src/abi/l4_error.cpp.</remarks>
public enum IpcErrorCode : byte
{
    /// <summary>No error.</summary>
    None = 0,
    /// <summary>Timeout during the send phase (<c>L4_IPC_SETIMEOUT</c>).</summary>
    SeTimeout = 0x02,
    /// <summary>Timeout during the receive phase (<c>L4_IPC_RETIMEOUT</c>).</summary>
    ReTimeout = 0x03,
    /// <summary>The destination or source does not exist (<c>L4_IPC_ENOT_EXISTENT</c>).</summary>
    NotExistent = 0x04,
    /// <summary>Send operation canceled (<c>L4_IPC_SECANCELED</c>).</summary>
    SeCanceled = 0x06,
    /// <summary>Receive operation canceled (<c>L4_IPC_RECANCELED</c>).</summary>
    ReCanceled = 0x07,
    /// <summary>Message cut in the send phase: the receiver's buffers did not fit (<c>L4_IPC_SEMSGCUT</c>).</summary>
    SeMsgCut = 0x08,
    /// <summary>Message cut in the receive phase (<c>L4_IPC_REMSGCUT</c>).</summary>
    ReMsgCut = 0x09,
    /// <summary>Send-pagefault timeout in the send phase (<c>L4_IPC_SESNDPFTO</c>).</summary>
    SeSndPfTimeout = 0x0a,
    /// <summary>Send-pagefault timeout in the receive phase (<c>L4_IPC_RESNDPFTO</c>).</summary>
    ReSndPfTimeout = 0x0b,
    /// <summary>Receive-pagefault timeout in the send phase (<c>L4_IPC_SERCVPFTO</c>).</summary>
    SeRcvPfTimeout = 0x0c,
    /// <summary>Receive-pagefault timeout in the receive phase (<c>L4_IPC_RERCVPFTO</c>).</summary>
    ReRcvPfTimeout = 0x0d,
    /// <summary>Send operation aborted (<c>L4_IPC_SEABORTED</c>).</summary>
    SeAborted = 0x0e,
    /// <summary>Receive operation aborted (<c>L4_IPC_REABORTED</c>).</summary>
    ReAborted = 0x0f,
    /// <summary>Mapping a flexpage failed in the send phase (<c>L4_IPC_SEMAPFAILED</c>).</summary>
    SeMapFailed = 0x10,
    /// <summary>Mapping a flexpage failed in the receive phase (<c>L4_IPC_REMAPFAILED</c>).</summary>
    ReMapFailed = 0x11,
    /// <summary>No reply capability slot for the receive phase (<c>L4_IPC_NO_REPLY_CAP</c>).</summary>
    NoReplyCap = 0x13,
}
