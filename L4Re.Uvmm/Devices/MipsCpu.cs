using L4Re.Uvmm.DeviceTree;
using L4Re.Uvmm.Vmm;

namespace L4Re.Uvmm.Devices;

/// <summary>
/// A guest CPU described by a <c>device_type = "cpu"</c> node (uvmm: <c>Vmm::Cpu_dev</c>, ARCH-mips
/// <c>cpu_dev.cc</c>): its id from <c>reg</c> and the PRId the vCPU reports, chosen by <c>compatible</c>.
/// The vCPU engine reads these when it creates the vCPUs.
/// </summary>
public sealed class MipsCpu : IVmDevice
{
    /// <summary>The largest number of CPUs a VM may describe (uvmm <c>Cpu_dev::Max_cpus</c>).</summary>
    public const int MaxCpus = 32;

    /// <summary>The PRId reported for an unknown or missing compatible (uvmm <c>Default_procid</c>).</summary>
    public const uint DefaultProcessorId = 0x00010000;

    /// <summary>The P5600 PRId (company MIPS 0x01, processor 0xa8, revision 0).</summary>
    public const uint P5600ProcessorId = 0x0001a800;

    /// <summary>
    /// The proAptiv PRId (processor 0xa2, uniprocessor). Linux first treated the P5600 as a proAptiv ("in the same
    /// range of cores … doesn't currently need to be distinguished"); kernels built without MIPS32r5 CPU support —
    /// Debian's generic <c>mips32r2el</c> has no <c>SYS_HAS_CPU_MIPS32_R5</c> — know the proAptiv but reach
    /// <c>unreachable()</c> in <c>__get_cpu_type</c> for a P5600 PRId.
    /// </summary>
    public const uint ProAptivProcessorId = 0x0001a200;

    // uvmm ARCH-mips/cpu_dev.cc MIPS_PROC_IDS, plus the R2 cores of the same family (Linux asm/cpu.h PRID_IMP_*).
    private static readonly (string Compatible, uint ProcessorId)[] ProcessorIds =
    [
        ("mti,interaptiv", 0x0001a000),
        ("mti,proaptiv", ProAptivProcessorId),
        ("mips,m5150", 0x0001a700),
        ("mips,p5600", P5600ProcessorId),
        ("mips,i6400", 0x0001a900),
        ("mips,i6500", 0x0001b024),
    ];

    /// <summary>Creates the CPU.</summary>
    /// <param name="id">The CPU number (the node's <c>reg</c>).</param>
    /// <param name="processorId">The PRId to report.</param>
    /// <param name="node">The node, if created from one.</param>
    public MipsCpu(int id, uint processorId, DtNode? node = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(id, MaxCpus);
        Id = id;
        ProcessorId = processorId;
        Node = node;
    }

    /// <summary>The CPU number (vCPU id).</summary>
    public int Id { get; }

    /// <summary>The value guest reads of CP0 PRId return (a GPSI exit the VMM answers).</summary>
    public uint ProcessorId { get; }

    /// <summary>The device tree node, or null.</summary>
    public DtNode? Node { get; }

    /// <inheritdoc />
    public string DeviceName => $"cpu{Id}";

    /// <summary>The PRId for a CPU compatible string (uvmm <c>get_proc_type</c>).</summary>
    /// <param name="compatible">E.g. <c>mips,p5600</c>, or null.</param>
    public static uint ProcessorIdFor(string? compatible)
    {
        foreach (var (c, id) in ProcessorIds)
        {
            if (c == compatible)
                return id;
        }
        return DefaultProcessorId;
    }

    /// <summary>Creates the CPU for a <c>device_type = "cpu"</c> node.</summary>
    /// <param name="node">The node.</param>
    /// <exception cref="DeviceTreeException">The node has no usable <c>reg</c>.</exception>
    public static MipsCpu FromNode(DtNode node)
    {
        var reg = node.GetProperty("reg");
        var id = reg.CellCount >= 1 ? reg.GetCell(0) : throw new DeviceTreeException($"{node.Path}: cpu reg is empty");
        if (id >= MaxCpus)
            throw new DeviceTreeException($"{node.Path}: cpu id {id} is not below {MaxCpus}");
        var compatible = node.Compatible.Count > 0 ? node.Compatible[0] : null;
        return new MipsCpu((int)id, ProcessorIdFor(compatible), node);
    }
}
