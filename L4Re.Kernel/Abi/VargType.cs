namespace L4Re.Kernel.Abi;

/// <summary>
/// Type words of variable factory arguments (<c>L4_VARG_TYPE_*</c>): each argument of a factory
/// create message is a type word (<c>type | size &lt;&lt; 16</c>) followed by the value.
/// </summary>
/// <remarks>Source: l4re-core l4sys/include/types.h, factory.h.</remarks>
public enum VargType : byte
{
    /// <summary><c>L4_VARG_TYPE_NIL</c>.</summary>
    Nil = 0x00,
    /// <summary><c>L4_VARG_TYPE_UMWORD</c>.</summary>
    UMword = 0x01,
    /// <summary><c>L4_VARG_TYPE_STRING</c>.</summary>
    String = 0x02,
    /// <summary><c>L4_VARG_TYPE_FPAGE</c>.</summary>
    Fpage = 0x03,
    /// <summary><c>L4_VARG_TYPE_SIGN</c> bit.</summary>
    Sign = 0x80,
    /// <summary><c>L4_VARG_TYPE_MWORD</c>.</summary>
    Mword = 0x81,
}
