using L4Re.Kernel.Abi;
using L4Re.Kernel.Ipc;
using L4Re.Kernel.Native;

namespace L4Re.Kernel.Boot;

/// <summary>
/// The sigma0 server: the root pager, owner of all physical memory. It answers page faults
/// (<see cref="ProtocolLabel.PageFault"/>) with an idempotent (virtual = physical) 4 KiB mapping and the
/// sigma0 protocol (<see cref="ProtocolLabel.Sigma0"/>: mr0 = <see cref="RequestFpageRam"/> or
/// <see cref="RequestFpageAny"/>, mr1 = the wanted flexpage) with a map item. Each physical page is
/// handed to one client only (identified by the label of the gate it calls through); requests for pages
/// another client owns, or that are not RAM, get a reply without items.
/// </summary>
/// <remarks>Source: l4re-core libsigma0/include/sigma0.h, libsigma0/lib/src/mem.c.</remarks>
public sealed class Sigma0Pager : IIpcServer
{
    /// <summary><c>SIGMA0_REQ_FPAGE_RAM</c>: map the given RAM flexpage.</summary>
    public const ulong RequestFpageRam = ~0xFFUL + 0x60;

    /// <summary><c>SIGMA0_REQ_FPAGE_ANY</c>: map any free RAM block of the given order.</summary>
    public const ulong RequestFpageAny = ~0xFFUL + 0x90;

    private readonly Microkernel _kernel;
    private readonly Dictionary<ulong, ulong> _owner = [];

    internal Sigma0Pager(Microkernel kernel) => _kernel = kernel;

    /// <summary>The number of physical pages handed out.</summary>
    public int PagesHandedOut => _owner.Count;

    /// <inheritdoc />
    public bool Dispatch(in IpcRequest request, Utcb utcb, out MsgTag reply)
    {
        var client = request.Label & ~3UL;
        reply = MsgTag.Result(0);
        switch (request.Tag.Protocol)
        {
            case ProtocolLabel.PageFault:
            {
                if (request.Tag.Words < 2)
                    return true;
                var page = utcb.Mrs[0] >> 12;
                if (TryClaim(page, 0, client))
                    reply = MapReply(utcb, page, 0);
                return true;
            }
            case ProtocolLabel.Sigma0:
            {
                if (request.Tag.Words < 2)
                    return true;
                var fp = new Fpage(utcb.Mrs[1]);
                if (!fp.IsMemory && !(fp.Type == FpageType.Special && fp.Order >= Fpage.PageOrder))
                    return true;
                var order = Math.Min(fp.Order, 40) - Fpage.PageOrder;
                if (order < 0)
                    return true;
                if (utcb.Mrs[0] == RequestFpageRam)
                {
                    var page = (fp.Address >> 12) & ~((1UL << order) - 1);
                    if (TryClaim(page, order, client))
                        reply = MapReply(utcb, page, order);
                }
                else if (utcb.Mrs[0] == RequestFpageAny)
                {
                    foreach (var r in _kernel.PhysicalMemory.Regions)
                    {
                        var block = 1UL << order;
                        for (var p = (r.Base >> 12 + 0) & ~(block - 1); p + block <= r.End >> 12; p += block)
                        {
                            if (p < r.Base >> 12)
                                continue;
                            if (TryClaim(p, order, client))
                            {
                                reply = MapReply(utcb, p, order);
                                return true;
                            }
                        }
                    }
                }
                return true;
            }
            default:
                reply = MsgTag.FromError(L4Error.BadProto);
                return true;
        }
    }

    private bool TryClaim(ulong page, int order, ulong client)
    {
        var count = 1UL << order;
        for (var p = page; p < page + count; p++)
        {
            if (_kernel.PhysicalMemory.Find(p) is null)
                return false;
            if (_owner.TryGetValue(p, out var o) && o != client)
                return false;
        }
        for (var p = page; p < page + count; p++)
            _owner[p] = client;
        return true;
    }

    private static MsgTag MapReply(Utcb utcb, ulong page, int order)
    {
        utcb.Mrs[0] = SndItem.Map(page << 12).Raw;
        utcb.Mrs[1] = Fpage.Memory(page << 12, order + Fpage.PageOrder, MemRights.RWX).Raw;
        return new MsgTag(0, 0, 1, 0);
    }
}
