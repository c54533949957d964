namespace L4Re.Uvmm.Vz;

/// <summary>The outcome of a bare-metal run.</summary>
/// <param name="Stop">Why the run stopped.</param>
/// <param name="Pc">For Wait/Hypcall/Fault: the address of that instruction (EPC); for Limit: the next PC.</param>
/// <param name="Instructions">Guest instructions executed, counting instructions the runner emulated (including the final WAIT or HYPCALL).</param>
/// <param name="LastExit">The last exit of the vCPU.</param>
public sealed record BareMetalResult(BareMetalStop Stop, uint Pc, long Instructions, VcpuExit LastExit);
