using L4Re.Kernel.Memory;
using L4Re.Uvmm.Vmm;

namespace L4Re.Platform.BaikalT.Devices;

/// <summary>
/// The board's I/O memory with device semantics: which dataspace is the register file of which hardware device
/// model. The kernel model treats every frame as memory, so a load or store through a mapping of a register file
/// would reach the bytes but not the device (no side effects such as write-1-to-clear or doorbells). Everything
/// that accesses I/O memory on behalf of software — <see cref="MmioAccessor"/> for native programs and the VM's
/// second stage (<see cref="Vm.VmSecondStage"/>) — first translates the address through the accessor's own
/// address space (so only a task or VM that was given the mapping through its vbus capability gets anywhere) and
/// then asks this map whether the frame belongs to a device; if so the access goes to the device model, as the
/// bus of the real SoC would deliver it.
/// </summary>
/// <remarks>
/// Kernel change this works around (see the report in docs/platform.md): physical regions have no kind, so I/O
/// memory cannot carry a device handler; a region kind with an MMIO callback would make this map unnecessary.
/// </remarks>
public sealed class DeviceMemoryMap
{
    private readonly Dictionary<Dataspace, IMmioDevice> _devices = new(ReferenceEqualityComparer.Instance);

    /// <summary>The registered register files and their devices.</summary>
    public IReadOnlyDictionary<Dataspace, IMmioDevice> Devices => _devices;

    /// <summary>Registers <paramref name="registerFile"/> as the register file of <paramref name="device"/>.</summary>
    /// <exception cref="ArgumentException">The dataspace belongs to another device already.</exception>
    public void Register(Dataspace registerFile, IMmioDevice device)
    {
        ArgumentNullException.ThrowIfNull(registerFile);
        ArgumentNullException.ThrowIfNull(device);
        if (!_devices.TryAdd(registerFile, device))
            throw new ArgumentException($"{registerFile} is already the register file of {_devices[registerFile].DeviceName}", nameof(registerFile));
    }

    /// <summary>The device whose register file is <paramref name="dataspace"/>, or null for RAM.</summary>
    public IMmioDevice? Find(Dataspace dataspace) => _devices.GetValueOrDefault(dataspace);

    /// <summary>True when <paramref name="dataspace"/> is a device's register file.</summary>
    public bool IsDeviceMemory(Dataspace dataspace) => _devices.ContainsKey(dataspace);
}
