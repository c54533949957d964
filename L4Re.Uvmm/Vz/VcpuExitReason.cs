namespace L4Re.Uvmm.Vz;

/// <summary>Why <see cref="Vcpu.Run"/> returned.</summary>
public enum VcpuExitReason : byte
{
    /// <summary>A root exception during guest execution (a VM exit): see <see cref="VcpuExit.ExcCode"/>.</summary>
    Exception,
    /// <summary>The instruction budget given to <see cref="Vcpu.Run"/> is used up.</summary>
    InstructionLimit,
    /// <summary><see cref="Vcpu.RequestStop"/> was called (a pending interrupt or IPC for the VMM thread).</summary>
    Stopped,
}
