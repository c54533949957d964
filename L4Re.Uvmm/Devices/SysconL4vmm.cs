using L4Re.Uvmm.Vmm;

namespace L4Re.Uvmm.Devices;

/// <summary>
/// uvmm's system controller, <c>syscon-l4vmm</c> (<c>server/src/device/sysctl.cc</c>, <c>configs/dts/syscon.dtsi</c>):
/// one 32-bit register at offset 0; a write asks the VMM to stop with the written value as exit code. Linux drives
/// it through the generic <c>syscon</c> regmap with <c>syscon-reboot</c> (value 0x66 = <see cref="RebootValue"/>) and,
/// where built, <c>syscon-poweroff</c>. Reads return 0. A write of <see cref="RebootValue"/> is a reboot request,
/// any other value a power-off with that code.
/// </summary>
public sealed class SysconL4vmm : IMmioDevice
{
    /// <summary>The value uvmm's DT has syscon-reboot write (<c>mask = &lt;0x66&gt;</c>).</summary>
    public const uint RebootValue = 0x66;

    /// <summary>Size of the register region.</summary>
    public const ulong RegionSize = 4;

    private readonly ShutdownController _shutdown;

    /// <summary>Creates the controller.</summary>
    /// <param name="shutdown">Where requests go.</param>
    public SysconL4vmm(ShutdownController shutdown) => _shutdown = shutdown;

    /// <inheritdoc />
    public string DeviceName => "syscon-l4vmm";

    /// <inheritdoc />
    public ulong Read(ulong offset, MmioWidth width, int vcpu) => 0;

    /// <inheritdoc />
    public void Write(ulong offset, MmioWidth width, ulong value, int vcpu)
    {
        if (offset != 0)
            return;
        var code = (uint)value;
        _shutdown.Request(code == RebootValue
            ? new ShutdownRequest(ShutdownKind.Reboot, code, "syscon-l4vmm: reboot")
            : new ShutdownRequest(ShutdownKind.PowerOff, code, $"syscon-l4vmm: shutdown ({code})"));
    }
}
