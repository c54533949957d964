namespace L4Re.Uvmm.Mips;

/// <summary>MIPS32 exception codes (<c>Cause.ExcCode</c>, bits 6:2).</summary>
public enum ExcCode : byte
{
    /// <summary>Interrupt.</summary>
    Int = 0,
    /// <summary>TLB modification.</summary>
    Mod = 1,
    /// <summary>TLB miss or invalid on load or instruction fetch.</summary>
    TlbL = 2,
    /// <summary>TLB miss or invalid on store.</summary>
    TlbS = 3,
    /// <summary>Address error on load or instruction fetch.</summary>
    AdEL = 4,
    /// <summary>Address error on store.</summary>
    AdES = 5,
    /// <summary>Bus error on instruction fetch.</summary>
    Ibe = 6,
    /// <summary>Bus error on data reference.</summary>
    Dbe = 7,
    /// <summary>Syscall.</summary>
    Sys = 8,
    /// <summary>Breakpoint.</summary>
    Bp = 9,
    /// <summary>Reserved instruction.</summary>
    RI = 10,
    /// <summary>Coprocessor unusable.</summary>
    CpU = 11,
    /// <summary>Arithmetic overflow.</summary>
    Ov = 12,
    /// <summary>Trap.</summary>
    Tr = 13,
    /// <summary>Floating-point exception.</summary>
    Fpe = 15,
    /// <summary>TLB read-inhibit.</summary>
    TlbRI = 19,
    /// <summary>TLB execute-inhibit.</summary>
    TlbXI = 20,
    /// <summary>Watch.</summary>
    Watch = 23,
    /// <summary>Machine check.</summary>
    MCheck = 24,
    /// <summary>Guest exit (VZ): the reason is in GuestCtl0.GExcCode.</summary>
    GE = 27,
}
