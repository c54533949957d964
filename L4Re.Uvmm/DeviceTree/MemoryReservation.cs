namespace L4Re.Uvmm.DeviceTree;

/// <summary>An entry of the DTB memory reservation block: physical memory the OS must not use.</summary>
/// <param name="Address">Physical start address.</param>
/// <param name="Size">Size in bytes (non-zero: a zero-sized entry terminates the block).</param>
public readonly record struct MemoryReservation(ulong Address, ulong Size);
