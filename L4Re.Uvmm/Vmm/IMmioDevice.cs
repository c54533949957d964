namespace L4Re.Uvmm.Vmm;

/// <summary>
/// A device with memory-mapped registers (uvmm: <c>Vmm::Mmio_device</c>). The <see cref="MmioBus"/> calls it
/// with the offset from the start of the region the device was registered at. Implementations must accept
/// any offset and width inside their region without throwing: a guest can issue any access; unknown
/// registers read as zero and ignore writes, as uvmm's devices do.
/// </summary>
public interface IMmioDevice : IVmDevice
{
    /// <summary>Reads a register.</summary>
    /// <param name="offset">Offset from the region start.</param>
    /// <param name="width">Access width.</param>
    /// <param name="vcpu">The id of the vCPU that accesses (for per-CPU register windows).</param>
    /// <returns>The value in the low <paramref name="width"/> bytes (zero-extended).</returns>
    ulong Read(ulong offset, MmioWidth width, int vcpu);

    /// <summary>Writes a register.</summary>
    /// <param name="offset">Offset from the region start.</param>
    /// <param name="width">Access width.</param>
    /// <param name="value">The value in the low <paramref name="width"/> bytes.</param>
    /// <param name="vcpu">The id of the vCPU that accesses.</param>
    void Write(ulong offset, MmioWidth width, ulong value, int vcpu);
}
