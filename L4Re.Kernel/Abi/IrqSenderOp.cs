namespace L4Re.Kernel.Abi;

/// <summary>Opcodes of the IRQ-sender protocol (<c>L4_IRQ_SENDER_OP_*</c>, label <see cref="ProtocolLabel.IrqSender"/>).</summary>
/// <remarks>Source: l4re-core l4sys/include/irq.h; fiasco src/kern/irq.cpp.</remarks>
public enum IrqSenderOp : ulong
{
    /// <summary>Legacy attach (Fiasco <c>Op::Attach</c>; binding is done with <see cref="RcvEndpointOp.Bind"/>).</summary>
    Attach = 0,
    /// <summary>Detach from the bound thread (<c>L4_IRQ_SENDER_OP_DETACH</c>).</summary>
    Detach = 1,
    /// <summary>Bind for direct vCPU injection (<c>L4_IRQ_SENDER_OP_BIND_VCPU</c>).</summary>
    BindVcpu = 2,
}
