namespace L4Re.Uvmm.Vmm;

/// <summary>
/// The vCPU state the VMM reads and writes while it handles an exit — what the vCPU engine (L4Re.Uvmm.Mips /
/// L4Re.Uvmm.Vz) must expose. It mirrors Fiasco's MIPS vCPU state that uvmm works on (<c>l4_vcpu_state_t</c>
/// registers plus the <c>l4_vm_state_t</c> guest CP0 context, ARCH-mips <c>vcpu_ptr.h</c>); writes made here must
/// take effect when the vCPU is resumed (Fiasco's <c>set_modified</c> dirty bits).
/// </summary>
public interface IVcpuContext
{
    /// <summary>The vCPU id (CPU number, GIC VP number).</summary>
    int Id { get; }

    /// <summary>The 32 general-purpose registers (writes to $0 are ignored by the engine).</summary>
    Span<uint> Gpr { get; }

    /// <summary>The PC the vCPU resumes at (EPC of the exit).</summary>
    ref uint Pc { get; }

    /// <summary>Reads a guest CP0 register (as the guest would see it; see <see cref="GuestCp0"/> for numbers).</summary>
    /// <param name="register">CP0 register number 0–31.</param>
    /// <param name="select">Select 0–7.</param>
    uint ReadGuestCp0(int register, int select);

    /// <summary>Writes a guest CP0 register with the VMM's authority (completing a GSFC, setting Compare).</summary>
    /// <param name="register">CP0 register number 0–31.</param>
    /// <param name="select">Select 0–7.</param>
    /// <param name="value">The value.</param>
    void WriteGuestCp0(int register, int select, uint value);

    /// <summary>Root GuestCtl2; the VMM sets VIP (bits 15:10) to inject guest Cause.IP2–IP7.</summary>
    uint GuestCtl2 { get; set; }

    /// <summary>Root GTOffset: guest Count = root Count + GTOffset.</summary>
    int GTOffset { get; set; }

    /// <summary>The root Count now (advancing with virtual time at the guest's Count rate).</summary>
    uint RootCount { get; }

    /// <summary>Clears the guest's LLbit (a guest MTC0 LLAddr with bit 0 clear, which traps on the P5600).</summary>
    void ClearLlBit();
}
