using L4Re.Kernel.Memory;
using L4Re.Vio.Driver;
using L4Re.Vio.Memory;

namespace L4Re.Vio.Tests.Support;

/// <summary>Guest RAM for tests: one dataspace registered at <see cref="Base"/>, a region list and a bump allocator.</summary>
internal sealed class GuestRam
{
    public const ulong Base = 0x4000_0000;

    public GuestRam(int pages = 64, int capacity = 8)
    {
        Dataspace = new Dataspace(pages * (long)Dataspace.PageSize, "ram");
        Memory = new DriverMemoryList(capacity);
        Region = Memory.Add(Base, Dataspace.Size, Dataspace);
        Allocator = new GuestMemoryAllocator(Base, (ulong)Dataspace.Size);
    }

    public Dataspace Dataspace { get; }

    public DriverMemoryList Memory { get; }

    public DriverMemoryRegion Region { get; }

    public GuestMemoryAllocator Allocator { get; }

    public Span<byte> At(ulong address, int length) => Memory.DriverSpan(address, length);

    public ulong Alloc(int size, int alignment = 16) => Allocator.Allocate((ulong)size, (ulong)alignment);

    public ulong Put(ReadOnlySpan<byte> bytes)
    {
        var a = Alloc(Math.Max(bytes.Length, 1));
        bytes.CopyTo(At(a, bytes.Length));
        return a;
    }
}
