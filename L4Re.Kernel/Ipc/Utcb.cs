using L4Re.Kernel.Abi;

namespace L4Re.Kernel.Ipc;

/// <summary>
/// The user-level thread control block of one thread: 63 message registers (MRs), the buffer
/// descriptor (BDR) and 58 buffer registers (BRs) for receiving typed items, and the thread control
/// registers (the IPC error word, the free marker and three user words). The geometry is the one of
/// L4Re on MIPS (<c>L4_UTCB_GENERIC_DATA_SIZE</c> = 63, <c>L4_UTCB_GENERIC_BUFFERS_SIZE</c> = 58).
/// </summary>
/// <remarks>Source: fiasco src/abi/l4_types.cpp (<c>class Utcb</c>); l4re-core l4sys/include/ARCH-mips/arch/utcb.h.</remarks>
public sealed class Utcb
{
    /// <summary>Number of message registers (<c>Utcb::Max_words</c>).</summary>
    public const int MaxWords = 63;

    /// <summary>Number of buffer registers (<c>Utcb::Max_buffers</c>).</summary>
    public const int MaxBuffers = 58;

    internal readonly ulong[] Mrs = new ulong[MaxWords];
    internal readonly ulong[] Brs = new ulong[MaxBuffers];
    private readonly ulong[] _user = new ulong[3];

    /// <summary>The message registers.</summary>
    public Span<ulong> Mr => Mrs;

    /// <summary>The buffer registers.</summary>
    public Span<ulong> Br => Brs;

    /// <summary>The three user-level thread control registers (thread-local storage anchors).</summary>
    public Span<ulong> User => _user;

    /// <summary>The buffer descriptor register.</summary>
    public BufDesc Bdr { get; set; }

    /// <summary>The raw IPC error word (TCR).</summary>
    public ulong ErrorRaw { get; set; }

    /// <summary>The IPC error word decoded.</summary>
    public IpcErrorWord Error => new(ErrorRaw);

    /// <summary>The free marker (TCR): the kernel sets it to 0 when it no longer touches the UTCB.</summary>
    public ulong FreeMarker { get; set; } = 1;

    /// <summary>Clears all registers.</summary>
    public void Clear()
    {
        Array.Clear(Mrs);
        Array.Clear(Brs);
        Array.Clear(_user);
        Bdr = default;
        ErrorRaw = 0;
    }
}
