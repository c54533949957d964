using L4Re.Kernel.Memory;
using L4Re.Kernel.Objects;
using L4Re.Platform.BaikalT.Devices;
using L4Re.Uvmm.Vz;

namespace L4Re.Platform.BaikalT.Vm;

/// <summary>
/// The second translation stage of a VM is the kernel's <see cref="Kernel.Objects.Vm"/> object: what the VMM mapped
/// into it with the kernel's map operation (guest RAM; pass-through device windows from its vbus). RAM pages resolve to
/// host memory; pages of a device register file (<see cref="DeviceMemoryMap"/>) do not — a guest access there exits to
/// the VMM like any unmapped GPA, and the VMM delivers it to the device model only because the VM has the mapping
/// (<see cref="PassthroughMmio"/>). Unmapping in the kernel (revocation of the vbus, of RAM) bumps the space's generation,
/// which makes the vCPU drop its cached translations. Allocation-free.
/// </summary>
/// <param name="vm">The kernel VM object.</param>
/// <param name="devices">The board's device register files.</param>
public sealed class VmSecondStage(Kernel.Objects.Vm vm, DeviceMemoryMap devices) : ISecondStage
{
    private readonly Kernel.Objects.Vm _vm = vm ?? throw new ArgumentNullException(nameof(vm));
    private readonly DeviceMemoryMap _devices = devices ?? throw new ArgumentNullException(nameof(devices));

    /// <summary>The VM object.</summary>
    public Kernel.Objects.Vm Vm => _vm;

    /// <inheritdoc />
    public long Generation => _vm.Memory.Generation;

    /// <inheritdoc />
    public bool TryResolve(ulong gpa, out SecondStagePage page)
    {
        if (!_vm.Memory.TryTranslate(gpa, out var t) || !t.CanRead || _devices.IsDeviceMemory(t.Dataspace))
        {
            page = default;
            return false;
        }
        page = new SecondStagePage(t.Dataspace.Memory.Slice((int)t.PageOffset, Dataspace.PageSize), t.CanWrite);
        return true;
    }

    /// <summary>The device register file the VM maps at <paramref name="gpa"/> and the offset in it, or null.</summary>
    public (Uvmm.Vmm.IMmioDevice Device, ulong Offset)? DeviceAt(ulong gpa, bool write)
    {
        if (!_vm.Memory.TryTranslate(gpa, out var t) || (write ? !t.CanWrite : !t.CanRead))
            return null;
        return _devices.Find(t.Dataspace) is { } d ? (d, (ulong)t.Offset) : null;
    }
}
