namespace L4Re.Kernel.Abi;

/// <summary>
/// The send and receive timeouts of one IPC (<c>l4_timeout_t</c>): <c>snd &lt;&lt; 16 | rcv</c>.
/// </summary>
/// <remarks>Source: l4re-core l4sys/include/__timeout.h; fiasco src/abi/l4_types.cpp (<c>L4_timeout_pair</c>).</remarks>
public readonly record struct TimeoutPair(uint Raw)
{
    /// <summary>Combines a send and a receive timeout (<c>l4_timeout(snd, rcv)</c>).</summary>
    public TimeoutPair(L4Timeout send, L4Timeout receive)
        : this(((uint)send.Raw << 16) | receive.Raw)
    {
    }

    /// <summary><c>L4_IPC_NEVER</c>: both phases wait forever.</summary>
    public static TimeoutPair Never => new(0);

    /// <summary><c>L4_IPC_RECV_TIMEOUT_0</c>.</summary>
    public static TimeoutPair ReceiveZero => new(0x00000400);

    /// <summary><c>L4_IPC_SEND_TIMEOUT_0</c>: the usual timeout of a server's reply.</summary>
    public static TimeoutPair SendZero => new(0x04000000);

    /// <summary><c>L4_IPC_BOTH_TIMEOUT_0</c>.</summary>
    public static TimeoutPair BothZero => new(0x04000400);

    /// <summary>The send timeout (bits 16–31).</summary>
    public L4Timeout Send => new((ushort)(Raw >> 16));

    /// <summary>The receive timeout (bits 0–15).</summary>
    public L4Timeout Receive => new((ushort)Raw);

    /// <inheritdoc />
    public override string ToString() => $"snd={Send} rcv={Receive}";
}
