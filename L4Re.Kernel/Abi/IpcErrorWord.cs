namespace L4Re.Kernel.Abi;

/// <summary>
/// The UTCB error word (Fiasco's <c>L4_error</c>): the error code in bits 0–4 (bit 0 set for the
/// receive phase) and, bit 8, the "empty map" marker the kernel sets when a map item mapped nothing.
/// </summary>
/// <remarks>Source: fiasco src/abi/l4_error.cpp; l4re-core l4sys/include/ipc.h (<c>L4_IPC_ERROR_MASK</c>).</remarks>
public readonly record struct IpcErrorWord(ulong Raw)
{
    /// <summary><c>L4_IPC_ERROR_MASK</c>: the bits holding the error code.</summary>
    public const ulong ErrorMask = 0x1f;

    /// <summary><c>L4_IPC_SND_ERR_MASK</c>: set for receive-phase errors.</summary>
    public const ulong ReceivePhaseBit = 0x01;

    /// <summary>Bit 8: a map operation succeeded but mapped nothing.</summary>
    public const ulong EmptyMapBit = 0x100;

    /// <summary>Builds the error word of a send-phase error code.</summary>
    public static IpcErrorWord Send(IpcErrorCode code) => new((ulong)code & ~ReceivePhaseBit & ErrorMask);

    /// <summary>Builds the error word of the receive-phase counterpart of <paramref name="code"/>.</summary>
    public static IpcErrorWord Receive(IpcErrorCode code) => new(((ulong)code | ReceivePhaseBit) & ErrorMask);

    /// <summary>The error code (<c>l4_ipc_error_code</c>).</summary>
    public IpcErrorCode Code => (IpcErrorCode)(Raw & ErrorMask);

    /// <summary>True when no error is recorded (the low byte is zero).</summary>
    public bool IsOk => (Raw & 0xff) == 0;

    /// <summary>True when the error happened in the send phase.</summary>
    public bool IsSendPhase => (Raw & ReceivePhaseBit) == 0;

    /// <summary>True when the map operation mapped nothing.</summary>
    public bool IsEmptyMap => (Raw & EmptyMapBit) != 0;

    /// <summary>This word with the phase bit set to the receive phase (Fiasco's <c>L4_error(e, Rcv)</c>).</summary>
    public IpcErrorWord AsReceivePhase() => new(Raw | ReceivePhaseBit);

    /// <inheritdoc />
    public override string ToString() => $"{Code}{(IsEmptyMap ? "+empty-map" : "")}";
}
