using L4Re.Kernel.Abi;

namespace L4Re.Kernel.Objects;

/// <summary>
/// A hardware vCPU context (<see cref="ProtocolLabel.VcpuContext"/>): kernel memory for the state of a
/// virtual CPU. The kernel does not interpret it; the package that implements the vCPU
/// (<see cref="Vcpu.IVcpuExecutor"/>) keeps its architecture state in <see cref="State"/>.
/// </summary>
public sealed class VcpuContext : KernelObject
{
    internal VcpuContext(Microkernel kernel, Factory quota)
        : base(kernel, quota, ObjectSizes.VcpuContext)
    {
    }

    /// <inheritdoc />
    public override ProtocolLabel Protocol => ProtocolLabel.VcpuContext;

    /// <inheritdoc />
    public override string KindName => "Vcpu_context";

    /// <summary>The architecture state owned by the vCPU implementation.</summary>
    public object? State { get; set; }
}
