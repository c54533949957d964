namespace L4Re.Kernel.Abi;

/// <summary>
/// Opcodes of receive endpoints (IPC gates and IRQs) in the <see cref="ProtocolLabel.KObject"/>
/// protocol (<c>L4_RCV_EP_*</c>, Fiasco's <c>Ipc_gate_ctl::Op</c>).
/// </summary>
/// <remarks>Source: l4re-core l4sys/include/rcv_endpoint.h, ipc_gate.h; fiasco src/kern/ipc_gate.cpp.</remarks>
public enum RcvEndpointOp : ulong
{
    /// <summary>Bind the endpoint to a thread with a label (mr1 = label, item = thread) (<c>L4_RCV_EP_BIND_OP</c>).</summary>
    Bind = 0x10,
    /// <summary>Read an IPC gate's label (<c>L4_IPC_GATE_GET_INFO_OP</c>).</summary>
    GetInfo = 0x11,
}
