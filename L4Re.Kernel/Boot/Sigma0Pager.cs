using L4Re.Kernel.Abi;
using L4Re.Kernel.Ipc;
using L4Re.Kernel.Memory;
using L4Re.Kernel.Native;

namespace L4Re.Kernel.Boot;

/// <summary>
/// The sigma0 server: the root pager, owner of all physical memory. It answers page faults
/// (<see cref="ProtocolLabel.PageFault"/>) on RAM with an idempotent (virtual = physical) 4 KiB mapping and
/// the sigma0 protocol (<see cref="ProtocolLabel.Sigma0"/>: mr0 = a request, mr1 = the wanted flexpage) with a
/// map item:
/// <list type="bullet">
/// <item><see cref="RequestFpageRam"/> — that RAM flexpage, cached, RWX; each RAM frame goes to one client only
/// (first come, first served; a client is identified by the label of the gate it calls through);</item>
/// <item><see cref="RequestFpageAny"/> — the first free, naturally aligned RAM block of the flexpage's order;</item>
/// <item><see cref="RequestFpageIomem"/> / <see cref="RequestFpageIomemCached"/> — that I/O-memory flexpage,
/// uncached (or cached), read-write; I/O memory is not first come, first served.</item>
/// </list>
/// RAM requests never get I/O memory and I/O-memory requests never get RAM. Frames a task claimed with
/// <see cref="PhysicalMemory.Claim"/> (io's device windows) go to nobody. A request that cannot be served is
/// answered with <c>-L4_ENOMEM</c> and no item, an unknown request with <c>-L4_ENOSYS</c>.
/// </summary>
/// <remarks>Source: l4re-core libsigma0/include/sigma0.h, sigma0/server/src/memmap.cc (<c>map_mem</c>,
/// <c>map_free_page</c>, <c>handle_page_fault</c>), memmap_internal.h (<c>Answer::snd_fpage</c>: cached / uncached
/// in the send item), init_mem.cc (I/O memory is read-write).</remarks>
public sealed class Sigma0Pager : IIpcServer
{
    /// <summary><c>SIGMA0_REQ_FPAGE_RAM</c>: map the given RAM flexpage.</summary>
    public const ulong RequestFpageRam = ~0xFFUL + 0x60;

    /// <summary><c>SIGMA0_REQ_FPAGE_IOMEM</c>: map the given I/O-memory flexpage uncached.</summary>
    public const ulong RequestFpageIomem = ~0xFFUL + 0x70;

    /// <summary><c>SIGMA0_REQ_FPAGE_IOMEM_CACHED</c>: map the given I/O-memory flexpage cached.</summary>
    public const ulong RequestFpageIomemCached = ~0xFFUL + 0x80;

    /// <summary><c>SIGMA0_REQ_FPAGE_ANY</c>: map any free RAM block of the given order.</summary>
    public const ulong RequestFpageAny = ~0xFFUL + 0x90;

    private const ulong RequestMask = ~0xFFUL;

    private readonly Microkernel _kernel;
    private readonly Dictionary<ulong, Client> _clients = [];

    internal Sigma0Pager(Microkernel kernel) => _kernel = kernel;

    /// <summary>The number of RAM frames handed out to sigma0 clients.</summary>
    public int PagesHandedOut => _kernel.PhysicalMemory.CountOwned(o => o is Client c && ReferenceEquals(c.Pager, this));

    /// <summary>A client of sigma0, the owner of the RAM frames it received.</summary>
    private sealed class Client(Sigma0Pager pager)
    {
        public Sigma0Pager Pager { get; } = pager;
    }

    private Client ClientOf(ulong label)
    {
        if (!_clients.TryGetValue(label, out var c))
            _clients[label] = c = new Client(this);
        return c;
    }

    /// <inheritdoc />
    public bool Dispatch(in IpcRequest request, Utcb utcb, out MsgTag reply)
    {
        var client = ClientOf(request.Label & ~3UL);
        reply = MsgTag.FromError(L4Error.NoMem);
        switch (request.Tag.Protocol)
        {
            case ProtocolLabel.PageFault:
            {
                // Page faults are served from RAM only.
                var page = utcb.Mrs[0] >> 12;
                if (request.Tag.Words >= 2 && Take(page, 0, PhysicalMemoryKind.Ram, client))
                    reply = MapReply(utcb, page, 0, MemRights.RWX, FpageCacheability.Cacheable);
                return true;
            }
            case ProtocolLabel.Sigma0:
                reply = Sigma0Request(request.Tag, utcb, client);
                return true;
            default:
                reply = MsgTag.FromError(L4Error.BadProto);
                return true;
        }
    }

    private MsgTag Sigma0Request(MsgTag tag, Utcb utcb, Client client)
    {
        var req = utcb.Mrs[0];
        if (tag.Words < 1 || (req & RequestMask) != RequestMask)
            return MsgTag.FromError(L4Error.NoSys);
        if (req is not (RequestFpageRam or RequestFpageIomem or RequestFpageIomemCached or RequestFpageAny))
            return MsgTag.FromError(L4Error.NoSys); // the KIP, the trace buffer, debug dumps are not modelled
        if (tag.Words < 2)
            return MsgTag.FromError(L4Error.MsgTooShort);
        var fp = new Fpage(utcb.Mrs[1]);
        if (!fp.IsMemory && !(fp.Type == FpageType.Special && fp.Order >= Fpage.PageOrder))
            return MsgTag.FromError(L4Error.Inval);
        var order = Math.Min(fp.Order, 40) - Fpage.PageOrder;
        if (order < 0)
            return MsgTag.FromError(L4Error.Inval);
        var page = (fp.Address >> 12) & ~((1UL << order) - 1);
        switch (req)
        {
            case RequestFpageRam:
                return Take(page, order, PhysicalMemoryKind.Ram, client)
                    ? MapReply(utcb, page, order, MemRights.RWX, FpageCacheability.Cacheable)
                    : MsgTag.FromError(L4Error.NoMem);
            case RequestFpageIomem:
            case RequestFpageIomemCached:
                // "there is no first-come, first-serve for IO memory": not recorded, only checked.
                return _kernel.PhysicalMemory.TryTake(page, 1UL << order, PhysicalMemoryKind.IoMemory, client, take: false)
                    ? MapReply(utcb, page, order, MemRights.RW, req == RequestFpageIomem ? FpageCacheability.Uncacheable : FpageCacheability.Cacheable)
                    : MsgTag.FromError(L4Error.NoMem);
            default:
                foreach (var r in _kernel.PhysicalMemory.Regions)
                {
                    if (r.Kind != PhysicalMemoryKind.Ram)
                        continue;
                    var block = 1UL << order;
                    for (var p = ((r.Base >> 12) + block - 1) & ~(block - 1); p + block <= r.End >> 12; p += block)
                    {
                        if (_kernel.PhysicalMemory.TryTake(p, block, PhysicalMemoryKind.Ram, client, take: true, freeOnly: true))
                            return MapReply(utcb, p, order, MemRights.RWX, FpageCacheability.Cacheable);
                    }
                }
                return MsgTag.FromError(L4Error.NoMem);
        }
    }

    private bool Take(ulong page, int order, PhysicalMemoryKind kind, Client client) =>
        _kernel.PhysicalMemory.TryTake(page, 1UL << order, kind, client, take: true);

    private static MsgTag MapReply(Utcb utcb, ulong page, int order, MemRights rights, FpageCacheability caching)
    {
        utcb.Mrs[0] = SndItem.Map(page << 12, (byte)caching).Raw;
        utcb.Mrs[1] = Fpage.Memory(page << 12, order + Fpage.PageOrder, rights).Raw;
        return new MsgTag(0, 0, 1, 0);
    }
}
