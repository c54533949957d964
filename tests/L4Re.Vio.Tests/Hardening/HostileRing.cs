using L4Re.Vio.Driver;
using L4Re.Vio.Tests.Support;
using L4Re.Vio.Virtio;

namespace L4Re.Vio.Tests.Hardening;

/// <summary>
/// Writes hostile content into a virtqueue — descriptor loops, chains longer than the queue, addresses outside
/// memory and straddling its end, lengths up to 4 GiB, read/write flag mix-ups, nested and malformed indirect
/// tables, heads beyond the table, index jumps — and computes which bytes a correct device may read and write:
/// the buffers reachable from the published heads (a superset of what it needs) and the rings.
/// </summary>
internal sealed class HostileRing
{
    // Layout: hostile rings at 0x000 (descriptors), 0x400 (available), 0x800 (used); the device's other
    // queue at 0x1000/0x1400/0x1800; two indirect tables at 0x2000; buffers from 0x3000.
    public const ulong OtherQueue = GuestRam.Base + 0x1000;
    public const ulong IndirectArea = GuestRam.Base + 0x2000;
    public const ulong PoolStart = GuestRam.Base + 0x3000;
    public const int RamPages = 8;
    public const ulong RamEnd = GuestRam.Base + RamPages * 4096UL;

    private readonly List<(ulong Start, ulong End)> _readable = [];
    private readonly List<(ulong Start, ulong End)> _writable = [];
    private readonly List<VirtqueueDriver> _otherQueues = [];

    /// <param name="random">The case's randomness.</param>
    /// <param name="queue">The queue to fill.</param>
    /// <param name="ram">The guest memory.</param>
    /// <param name="writableBuffersExpected">Whether the device's requests are device-writable (biases hostile descriptors).</param>
    /// <param name="request">Builds one well-formed request (its buffers already written to the pool), or null.</param>
    public HostileRing(Random random, VirtqueueDriver queue, GuestRam ram, bool writableBuffersExpected, Func<Random, DriverBuffer[]>? request = null)
    {
        Queue = queue;
        var q = queue.Size;
        // How hostile this case is: the share of published heads that are arbitrary rather than well formed.
        var hostility = request is null ? 1.0 : new[] { 0.0, 0.05, 0.2, 0.6, 1.0 }[random.Next(5)];
        // Hostile background: every descriptor random.
        var main = new VirtqueueDescriptor[q];
        for (var i = 0; i < q; i++)
            main[i] = Descriptor(random, q, writableBuffersExpected, i);
        // Two indirect tables of up to 8 entries (tables may be referenced with any length).
        for (var t = 0; t < 2; t++)
        {
            const int n = 8;
            var span = ram.At(IndirectArea + (ulong)t * 0x100, n * 16);
            for (var i = 0; i < n; i++)
                Descriptor(random, n, writableBuffersExpected, i).Write(span.Slice(i * 16, 16));
        }
        // The available ring: heads (some out of range), then an index that may jump.
        var count = random.Next(10) switch
        {
            0 when hostility > 0 => random.Next(q + 1, 65536),
            1 => 0,
            _ => random.Next(1, q + 1),
        };
        var nextFree = 0;
        var allWellFormed = request is not null && count <= q;
        for (var k = 0; k < Math.Min(count, q); k++)
        {
            ushort head;
            var buffers = random.NextDouble() >= hostility ? request!(random) : null;
            if (buffers is not null && nextFree + buffers.Length <= q)
            {
                // A well-formed chain on descriptors no other well-formed chain uses.
                head = (ushort)nextFree;
                for (var b = 0; b < buffers.Length; b++, nextFree++)
                {
                    var last = b + 1 == buffers.Length;
                    main[nextFree] = new VirtqueueDescriptor(buffers[b].Address, buffers[b].Length,
                        (buffers[b].DeviceWritable ? DescriptorFlags.Write : DescriptorFlags.None) | (last ? DescriptorFlags.None : DescriptorFlags.Next),
                        (ushort)(last ? 0 : nextFree + 1));
                }
            }
            else
            {
                head = (ushort)(random.Next(20) == 0 ? random.Next(q, 65536) : random.Next(q));
                allWellFormed = false;
            }
            queue.WriteAvailRing(queue.AvailIndex + k, head);
        }
        for (var i = 0; i < q; i++)
            queue.WriteDescriptor(i, main[i]);
        Published = count;
        Hostility = hostility;
        AllWellFormed = allWellFormed;
        // Reachability over the initial content (what a correct device may touch).
        if (count <= q)
        {
            var avail = ram.At(queue.DriverArea, VirtqueueLayout.DriverAreaSize(q));
            for (var k = 0; k < count; k++)
            {
                var head = BitConverter.ToUInt16(avail.Slice(4 + 2 * ((queue.AvailIndex + k) & (q - 1)), 2));
                if (head < q)
                    Walk(main, head, ram, true);
            }
        }
        queue.WriteAvailIndex((ushort)(queue.AvailIndex + count));
    }

    /// <summary>The share of hostile heads in this case (0 = all well formed).</summary>
    public double Hostility { get; }

    /// <summary>Whether every published chain is well formed: the device must then process all of them without an error.</summary>
    public bool AllWellFormed { get; }

    /// <summary>A pool address for a buffer of <paramref name="length"/> bytes.</summary>
    public static ulong PoolAddress(Random random, int length) =>
        PoolStart + (ulong)random.Next(0, (int)(RamEnd - PoolStart) - length + 1);

    public VirtqueueDriver Queue { get; }

    public int Published { get; }

    private static VirtqueueDescriptor Descriptor(Random r, int tableSize, bool writable, int index)
    {
        ulong address = r.Next(12) switch
        {
            0 => (ulong)r.NextInt64(),                                      // anywhere
            1 => RamEnd - (ulong)r.Next(1, 64),                             // straddles the end of RAM
            2 => GuestRam.Base - (ulong)r.Next(1, 64),                      // straddles the start
            3 => IndirectArea + (ulong)r.Next(2) * 0x100,                   // an indirect table
            4 => GuestRam.Base + 0x800 + (ulong)r.Next(0, 0x100),           // the used ring (device area)
            _ => PoolStart + (ulong)r.Next(0, (int)(RamEnd - PoolStart)),   // the buffer pool
        };
        uint length = r.Next(10) switch
        {
            0 => uint.MaxValue - (uint)r.Next(64),
            1 => 0,
            2 => (uint)r.Next(1, 16),
            3 => (uint)r.Next(16 * 24 + 1),
            _ => (uint)r.Next(1, 2048),
        };
        var flags = DescriptorFlags.None;
        if (r.Next(3) != 0)
            flags |= DescriptorFlags.Next;
        if (r.Next(4) == 0 ? !writable : writable)
            flags |= DescriptorFlags.Write;
        if (r.Next(8) == 0)
            flags |= DescriptorFlags.Indirect;
        if (r.Next(30) == 0)
            flags |= (DescriptorFlags)(1 << r.Next(3, 16)); // undefined bits
        // Next: forward usually, a loop or an out-of-range index sometimes.
        ushort next = r.Next(6) switch
        {
            0 => (ushort)index,
            1 => (ushort)r.Next(tableSize, 65536),
            _ => (ushort)r.Next(tableSize),
        };
        // Writable buffers never point into the descriptor table or available ring (the device could
        // legitimately rewrite the driver's own rings and this check could not predict it).
        if ((flags & DescriptorFlags.Write) != 0 && address >= GuestRam.Base && address < GuestRam.Base + 0x800)
            address += 0x3000;
        return new VirtqueueDescriptor(address, length, flags, next);
    }

    private void Walk(VirtqueueDescriptor[] table, int index, GuestRam ram, bool top)
    {
        for (var step = 0; step <= table.Length; step++)
        {
            var d = table[index];
            if ((d.Flags & DescriptorFlags.Indirect) != 0 && top)
            {
                Add(_readable, d.Address, d.Length);
                // A table the device may accept: whole entries, no more than the queue size, inside RAM.
                if (d.Length > 0 && d.Length % 16 == 0 && d.Length / 16 <= (uint)table.Length
                    && d.Address >= GuestRam.Base && d.Address + d.Length <= RamEnd)
                {
                    var entries = new VirtqueueDescriptor[d.Length / 16];
                    var span = ram.At(d.Address, (int)d.Length);
                    for (var i = 0; i < entries.Length; i++)
                        entries[i] = VirtqueueDescriptor.Read(span.Slice(i * 16, 16));
                    Walk(entries, 0, ram, false);
                }
                return;
            }
            Add(_readable, d.Address, d.Length);
            if ((d.Flags & DescriptorFlags.Write) != 0)
                Add(_writable, d.Address, d.Length);
            if ((d.Flags & DescriptorFlags.Next) == 0 || d.Next >= table.Length)
                return;
            index = d.Next;
        }
    }

    private static void Add(List<(ulong, ulong)> list, ulong address, uint length)
    {
        if (length == 0)
            return;
        var end = address + length;
        if (end < address)
            end = ulong.MaxValue;
        list.Add((address, end));
    }

    private static bool Inside(List<(ulong Start, ulong End)> list, ulong address, ulong length) =>
        list.Exists(r => address >= r.Start && address - r.Start <= r.End - r.Start && length <= r.End - address);

    /// <summary>The device's other (well-behaved, empty) queues: it may update their used rings' flags and events.</summary>
    public void AllowRings(VirtqueueDriver queue) => _otherQueues.Add(queue);

    private bool InRings(ulong address, ulong length, bool write)
    {
        if (InRing(Queue, address, length, write))
            return true;
        foreach (var q in _otherQueues)
        {
            if (InRing(q, address, length, write))
                return true;
        }
        return false;
    }

    private static bool InRing(VirtqueueDriver queue, ulong address, ulong length, bool write)
    {
        var q = queue.Size;
        bool In(ulong start, int size) => address >= start && length <= (ulong)size && address - start <= (ulong)size - length;
        return In(queue.DeviceArea, VirtqueueLayout.DeviceAreaSize(q))
            || (!write && (In(queue.DescriptorArea, VirtqueueLayout.DescriptorTableSize(q)) || In(queue.DriverArea, VirtqueueLayout.DriverAreaSize(q))));
    }

    /// <summary>Whether a device translation is allowed.</summary>
    public bool Allowed(ulong address, ulong length, bool write) =>
        InRings(address, length, write) || Inside(write ? _writable : _readable, address, length);

    /// <summary>Whether a changed byte at <paramref name="address"/> is allowed.</summary>
    public bool MayChange(ulong address) => InRings(address, 1, true) || Inside(_writable, address, 1);
}
