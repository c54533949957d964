namespace L4Re.Kernel.Abi;

/// <summary>
/// Rights of object capabilities (<c>L4_CAP_FPAGE_*</c>). R is needed to map a capability at all;
/// W and S are object-specific (S, "special", allows e.g. binding threads or controlling a thread);
/// D allows deleting the object. S survives a transfer only when the sending capability has S.
/// </summary>
/// <remarks>Source: l4re-core l4sys/include/__l4_fpage.h (<c>L4_cap_fpage_rights</c>).</remarks>
[Flags]
public enum CapRights : byte
{
    /// <summary>No rights.</summary>
    None = 0,
    /// <summary>Write / invoke right (<c>L4_CAP_FPAGE_W</c>).</summary>
    W = 0x1,
    /// <summary>Special right (<c>L4_CAP_FPAGE_S</c>).</summary>
    S = 0x2,
    /// <summary>Read right (<c>L4_CAP_FPAGE_R</c>); every valid capability has it.</summary>
    R = 0x4,
    /// <summary>Delete right (<c>L4_CAP_FPAGE_D</c>).</summary>
    D = 0x8,
    /// <summary><c>L4_CAP_FPAGE_RW</c>.</summary>
    RW = R | W,
    /// <summary><c>L4_CAP_FPAGE_RS</c>.</summary>
    RS = R | S,
    /// <summary><c>L4_CAP_FPAGE_RWS</c>.</summary>
    RWS = R | W | S,
    /// <summary><c>L4_CAP_FPAGE_RWD</c>.</summary>
    RWD = R | W | D,
    /// <summary><c>L4_CAP_FPAGE_RSD</c>.</summary>
    RSD = R | S | D,
    /// <summary><c>L4_CAP_FPAGE_RWSD</c>: all rights.</summary>
    RWSD = R | W | S | D,
}
