using L4Re.Kernel.Objects;

namespace L4Re.Kernel.Memory;

/// <summary>
/// The I/O-port space of a task (Fiasco's <c>Io_space</c>): ports 0–65535 granted with I/O flexpages
/// and revoked recursively like memory.
/// </summary>
public sealed class IoSpace : MapSpace
{
    internal IoSpace(L4Task owner, PhysicalMemory? sigma0Memory)
        : base(owner, 1UL << Abi.Fpage.WholeIoSpace, sigma0Memory)
    {
    }

    internal override bool IsIo => true;

    /// <summary>True when the task may access port <paramref name="port"/>.</summary>
    public bool HasPort(ulong port) => port < Limit && Lookup(port) is not null;
}
