namespace L4Re.Uvmm.Vz;

/// <summary>
/// The VZ guest exit code (<c>GuestCtl0.GExcCode</c>, bits 6:2) that accompanies a root exception with
/// <c>Cause.ExcCode</c> = 27 (guest exit). Values from the MIPS VZ ASE as used by Linux KVM and Fiasco.
/// </summary>
public enum GuestExitCode : byte
{
    /// <summary>Guest privileged sensitive instruction (GPSI).</summary>
    Gpsi = 0,
    /// <summary>Guest software field change (GSFC).</summary>
    Gsfc = 1,
    /// <summary>Hypercall (HC).</summary>
    Hypercall = 2,
    /// <summary>Guest reserved instruction redirect (GRR).</summary>
    Grr = 3,
    /// <summary>Guest mode initiated root TLB exception, GVA (GVA).</summary>
    Gva = 8,
    /// <summary>Guest hardware field change (GHFC).</summary>
    Ghfc = 9,
    /// <summary>Guest mode initiated root TLB exception, GPA (GPA).</summary>
    Gpa = 10,
}
