namespace L4Re.Uvmm.Vmm;

/// <summary>
/// Starts and stops vCPUs on behalf of the Cluster Power Controller (uvmm: <c>Cpu_dev::start_vcpu</c> /
/// <c>stop_vcpu</c>), which is how Linux's CPS SMP code brings up secondary cores. Implemented by whoever runs
/// the vCPUs (the VMM's run loop on top of the vCPU engine).
/// </summary>
public interface IVcpuPowerControl
{
    /// <summary>
    /// Resets vCPU <paramref name="vcpu"/> to the architectural reset state (Status.BEV = 1, Status.ERL = 1) and
    /// starts it at <paramref name="resetVector"/> (a guest virtual address, normally kseg1).
    /// </summary>
    /// <param name="vcpu">The vCPU id.</param>
    /// <param name="resetVector">The PC to start at.</param>
    void PowerUp(int vcpu, uint resetVector);

    /// <summary>Stops vCPU <paramref name="vcpu"/> until it is powered up again.</summary>
    /// <param name="vcpu">The vCPU id.</param>
    void PowerDown(int vcpu);
}
