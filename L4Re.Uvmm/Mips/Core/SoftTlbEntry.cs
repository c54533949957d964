using System.Runtime.InteropServices;

namespace L4Re.Uvmm.Mips;

/// <summary>
/// A software-TLB entry: guest virtual page → host memory, for one access kind. A hit needs
/// <c>(va &amp; (0xfffff000 | size − 1)) == Tag</c>, which also rejects misaligned accesses; the host address is
/// <c>HostMinusVa + va</c> (QEMU's "addend" trick).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct SoftTlbEntry
{
    /// <summary>Tag that never matches (bits 11:2 set).</summary>
    public const uint InvalidTag = 0xffff_ffff;

    /// <summary>Virtual page address, or <see cref="InvalidTag"/>.</summary>
    public uint Tag;
    /// <summary>Guest-physical page number (for selective invalidation).</summary>
    public uint Gpn;
    /// <summary>Host page address minus the virtual page address.</summary>
    public nint HostMinusVa;
}
