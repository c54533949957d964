namespace L4Re.Uvmm.Mips;

/// <summary>Properties of an instruction-set table row.</summary>
[Flags]
public enum InsnFlags : ushort
{
    /// <summary>No flags.</summary>
    None = 0,
    /// <summary>Has a delay slot (branch or jump); raises Reserved Instruction when itself in a delay slot.</summary>
    Branch = 1 << 0,
    /// <summary>Branch-likely: the delay slot is annulled when the branch is not taken.</summary>
    Likely = 1 << 1,
    /// <summary>Writes the return address.</summary>
    Link = 1 << 2,
    /// <summary>Reads memory.</summary>
    Load = 1 << 3,
    /// <summary>Writes memory.</summary>
    Store = 1 << 4,
    /// <summary>Needs kernel mode or Status.CU0 (Coprocessor Unusable 0 otherwise).</summary>
    Privileged = 1 << 5,
    /// <summary>May change interrupt or translation state; the interpreter re-evaluates both afterwards.</summary>
    ChangesState = 1 << 6,
    /// <summary>Alias row (a more specific spelling of another row, e.g. <c>b</c> for <c>beq $0, $0</c>).</summary>
    Alias = 1 << 7,
    /// <summary>MIPS32 Release 2 addition.</summary>
    Release2 = 1 << 8,
    /// <summary>VZ ASE instruction.</summary>
    Vz = 1 << 9,
    /// <summary>The encoding repeats rd in the rt field (CLZ, CLO); the assembler copies it.</summary>
    RdInRt = 1 << 10,
}
