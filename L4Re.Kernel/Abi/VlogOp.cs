namespace L4Re.Kernel.Abi;

/// <summary>Opcodes of the Vlog / Vcon protocol (<c>L4_VCON_*_OP</c>, label <see cref="ProtocolLabel.Log"/>).</summary>
/// <remarks>Source: l4re-core l4sys/include/vcon.h; fiasco src/kern/vlog.cpp.</remarks>
public enum VlogOp : ulong
{
    /// <summary>Write characters (mr1 = length, mr2... = bytes); no reply.</summary>
    Write = 0,
    /// <summary>Read buffered input (mr0 bits 16+ = maximum length).</summary>
    Read = 1,
    /// <summary>Set terminal attributes (mr1 = input, mr2 = output, mr3 = local flags).</summary>
    SetAttr = 2,
    /// <summary>Get terminal attributes.</summary>
    GetAttr = 3,
}
