using L4Re.Uvmm.Vz;

namespace L4Re.Uvmm.Mips;

/// <summary>Where an exception raised by an instruction goes.</summary>
internal enum FaultKind : byte
{
    /// <summary>No fault pending.</summary>
    None,
    /// <summary>An exception taken by the guest through its own vectors.</summary>
    Guest,
    /// <summary>A root guest-exit exception (Cause.ExcCode = 27) with a GExcCode.</summary>
    GuestExit,
    /// <summary>A root TLB exception (second-stage miss or write to a read-only page).</summary>
    RootTlb,
}

/// <summary>The exception an instruction raised, recorded by the slow paths and delivered by the run loop.</summary>
internal struct Fault
{
    public FaultKind Kind;
    public ExcCode Code;
    public GuestExitCode GuestExit;
    public uint BadVAddr;
    /// <summary>BadVAddr is updated (address errors, TLB exceptions).</summary>
    public bool HasBadVAddr;
    /// <summary>Context.BadVPN2 and EntryHi.VPN2 are updated (TLB exceptions).</summary>
    public bool TlbFields;
    /// <summary>TLB refill: vector offset 0 when Status.EXL = 0.</summary>
    public bool Refill;
    /// <summary>The faulting instruction itself could not be fetched (BadInstr is not updated).</summary>
    public bool Fetch;
    /// <summary>Coprocessor number for Coprocessor Unusable.</summary>
    public byte CopUnit;
}
