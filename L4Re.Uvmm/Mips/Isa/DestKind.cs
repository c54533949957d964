namespace L4Re.Uvmm.Mips;

/// <summary>Which GPR a row writes. The decoder redirects writes to <c>$zero</c> into a sink register.</summary>
public enum DestKind : byte
{
    /// <summary>No GPR written.</summary>
    None,
    /// <summary>GPR in bits 15:11.</summary>
    Rd,
    /// <summary>GPR in bits 20:16.</summary>
    Rt,
}
