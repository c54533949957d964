using L4Re.Kernel.Memory;
using L4Re.Kernel.Objects;
using L4Re.Uvmm.Vmm;

namespace L4Re.Platform.BaikalT.Devices;

/// <summary>
/// Loads and stores of a native program to device registers it has mapped into its task (through its vbus). The
/// address is translated through the task's own page table — no mapping, no access: the access faults with
/// <see cref="MmioFaultException"/> (a native L4Re program without a pager for that address is killed the same way)
/// — and then delivered to the device model that owns the frame (<see cref="DeviceMemoryMap"/>). Frames that are
/// plain memory are read and written directly.
/// </summary>
/// <param name="task">The task whose address space is used.</param>
/// <param name="devices">The board's device register files.</param>
public sealed class MmioAccessor(L4Task task, DeviceMemoryMap devices)
{
    /// <summary>The task.</summary>
    public L4Task Task { get; } = task ?? throw new ArgumentNullException(nameof(task));

    /// <summary>A 32-bit load from virtual address <paramref name="address"/> of the task.</summary>
    /// <exception cref="MmioFaultException">Not mapped, not readable, or not aligned.</exception>
    public uint Read32(ulong address)
    {
        var t = Translate(address, write: false);
        if (devices.Find(t.Dataspace) is { } device)
            return (uint)device.Read((ulong)t.Offset, MmioWidth.Word, 0);
        return BitConverter.ToUInt32(t.Dataspace.Span.Slice((int)t.Offset, 4));
    }

    /// <summary>A 32-bit store to virtual address <paramref name="address"/> of the task.</summary>
    /// <exception cref="MmioFaultException">Not mapped, not writable, or not aligned.</exception>
    public void Write32(ulong address, uint value)
    {
        var t = Translate(address, write: true);
        if (devices.Find(t.Dataspace) is { } device)
        {
            device.Write((ulong)t.Offset, MmioWidth.Word, value, 0);
            return;
        }
        BitConverter.TryWriteBytes(t.Dataspace.Span.Slice((int)t.Offset, 4), value);
    }

    private PageTranslation Translate(ulong address, bool write)
    {
        if ((address & 3) != 0)
            throw new MmioFaultException(Task, address, write, "unaligned 32-bit access");
        if (!Task.Memory.TryTranslate(address, out var t))
            throw new MmioFaultException(Task, address, write, "not mapped");
        if (write ? !t.CanWrite : !t.CanRead)
            throw new MmioFaultException(Task, address, write, write ? "mapped read-only" : "not readable");
        return t;
    }
}

/// <summary>A native program touched an address it has no (suitable) mapping for.</summary>
public sealed class MmioFaultException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MmioFaultException(L4Task task, ulong address, bool write, string reason)
        : base($"{task}: {(write ? "store to" : "load from")} 0x{address:x}: {reason}")
    {
        Address = address;
        IsWrite = write;
    }

    /// <summary>The faulting virtual address.</summary>
    public ulong Address { get; }

    /// <summary>Whether it was a store.</summary>
    public bool IsWrite { get; }
}
