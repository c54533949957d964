using L4Re.Uvmm.Mips;

namespace L4Re.Uvmm.Vz;

/// <summary>
/// An exception the guest took through its own vectors (not a VM exit), as reported to
/// <see cref="Vcpu.GuestExceptionObserver"/> for diagnostics.
/// </summary>
/// <param name="Code">Guest Cause.ExcCode.</param>
/// <param name="Pc">The PC of the instruction that raised it (the branch when <paramref name="BranchDelay"/>), or the interrupted PC.</param>
/// <param name="BadVAddr">Guest BadVAddr after the exception (meaningful for address and TLB exceptions).</param>
/// <param name="Vector">Where the guest continues.</param>
/// <param name="BranchDelay">The instruction was in a delay slot.</param>
/// <param name="Instructions">Guest instructions retired before it.</param>
public readonly record struct GuestException(ExcCode Code, uint Pc, uint BadVAddr, uint Vector, bool BranchDelay, long Instructions)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"#{Instructions} {Code} at 0x{Pc:x8}{(BranchDelay ? " (delay slot)" : "")} badvaddr 0x{BadVAddr:x8} -> 0x{Vector:x8}";
}

/// <summary>Receives guest exceptions (see <see cref="Vcpu.GuestExceptionObserver"/>).</summary>
/// <param name="exception">The exception.</param>
public delegate void GuestExceptionObserver(in GuestException exception);
