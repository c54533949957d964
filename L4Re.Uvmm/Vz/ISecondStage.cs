namespace L4Re.Uvmm.Vz;

/// <summary>
/// The second translation stage of a VM (guest-physical → host memory), the root TLB of the real hardware.
/// The kernel's Vm object implements it over mapped dataspace pages; <see cref="DataspaceSecondStage"/> is a
/// simple implementation for tests and the bare-metal runner. A guest access to a page without a mapping
/// is a GPA exit (root TLB exception) to the VMM, which emulates MMIO or maps memory and resumes.
/// Implementations must not allocate in <see cref="TryResolve"/>.
/// </summary>
public interface ISecondStage
{
    /// <summary>
    /// Changes whenever a mapping is removed, shrunk, made read-only or replaced (adding a mapping where there was
    /// none need not change it). The engine flushes its software TLB and decoded-code cache when it changes.
    /// </summary>
    long Generation { get; }

    /// <summary>Resolves the page containing guest-physical address <paramref name="gpa"/>.</summary>
    /// <returns>False when nothing is mapped there.</returns>
    bool TryResolve(ulong gpa, out SecondStagePage page);
}
