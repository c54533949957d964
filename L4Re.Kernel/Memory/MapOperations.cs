using L4Re.Kernel.Abi;
using L4Re.Kernel.Caps;
using L4Re.Kernel.Objects;

namespace L4Re.Kernel.Memory;

/// <summary>
/// Flexpage map and unmap between spaces (Fiasco's <c>fpage_map</c> / <c>fpage_unmap</c> in
/// map_util.cpp): memory and I/O flexpages go through the mapping database, object flexpages copy
/// capabilities (flat, reference counted). Rights only shrink: the receiver gets the sender's rights
/// intersected with the flexpage's.
/// </summary>
internal static class MapOperations
{
    /// <summary>
    /// Maps (or grants) the part of <paramref name="fpFrom"/> in <paramref name="from"/> into the receive
    /// window <paramref name="fpTo"/> of <paramref name="to"/> at the offset given by the send base of
    /// <paramref name="control"/>. Kinds that do not match, or spaces without that kind, map nothing
    /// without error (as in Fiasco).
    /// </summary>
    public static IpcErrorWord Map(L4Task from, Fpage fpFrom, L4Task to, Fpage fpTo, SndItem control)
    {
        if (fpFrom.IsMemory && (fpTo.IsMemory || fpTo.IsAll) && from.Memory is { } fm && to.Memory is { } tm)
            return MapFrames(fm, fpFrom, tm, fpTo, control, isIo: false);
        if (fpFrom.IsIo && (fpTo.IsIo || fpTo.IsAll) && from.IoPorts is { } fi && to.IoPorts is { } ti)
            return MapFrames(fi, fpFrom, ti, fpTo, control, isIo: true);
        if (fpFrom.IsObj && (fpTo.IsObj || fpTo.IsAll) && from.Caps is { } fc && to.Caps is { } tc)
            return MapCaps(fc, fpFrom, tc, fpTo, control);
        return default;
    }

    /// <summary>Unmaps <paramref name="fp"/> in <paramref name="space"/> (all kinds for <see cref="Fpage.All"/>).</summary>
    public static void Unmap(L4Task space, Fpage fp, UnmapFlags mask)
    {
        if (space.IoPorts is { } io && (fp.IsIo || fp.IsAll))
            UnmapFrames(io, fp, mask, isIo: true);
        if (space.Caps is { } caps && (fp.IsObj || fp.IsAll))
            UnmapCaps(caps, fp, mask);
        if (space.Memory is { } mem && (fp.IsMemory || fp.IsAll))
            UnmapFrames(mem, fp, mask, isIo: false);
    }

    private static ulong Mask(int order) => order >= 64 ? ulong.MaxValue : (1UL << order) - 1;

    /// <summary>Fiasco's <c>free_constraint</c>: fit a send window into a receive window at the hot spot.</summary>
    private static void FreeConstraint(ref ulong snd, ref int so, ref ulong rcv, int ro, ulong hotSpot)
    {
        if (ro >= so)
            rcv += (hotSpot & Mask(ro)) & ~Mask(so);
        else
        {
            snd += (hotSpot & Mask(so)) & ~Mask(ro);
            so = ro;
        }
    }

    private static IpcErrorWord MapFrames(MapSpace from, Fpage fpFrom, MapSpace to, Fpage fpTo, SndItem control, bool isIo)
    {
        var shift = isIo ? 0 : Fpage.PageOrder;
        if (!isIo && (fpFrom.Order < Fpage.PageOrder || (!fpTo.IsAll && fpTo.Order < Fpage.PageOrder)))
            return default;
        var so = Math.Min(fpFrom.Order - shift, 63);
        var ro = Math.Min((fpTo.IsAll ? Fpage.WholeAddressSpace : fpTo.Order) - shift, 63);
        var snd = (isIo ? fpFrom.Port : fpFrom.Address >> 12) & ~Mask(so);
        var rcv = (fpTo.IsAll ? 0 : isIo ? fpTo.Port : fpTo.Address >> 12) & ~Mask(ro);
        var hot = isIo ? control.Index : control.SendBase >> 12;
        FreeConstraint(ref snd, ref so, ref rcv, ro, hot);
        var size = so >= 63 ? 1UL << 63 : 1UL << so;
        var rights = isIo ? MemRights.RW : fpFrom.MemRights;
        var setCaching = !isIo && (control.Cache & (byte)FpageCacheability.CacheOpt) != 0;
        var itemCaching = (FpageCacheability)(control.Cache & 7); // Fiasco's L4_snd_item::mem_type: attr & 0x70
        var grant = control.IsGrant;
        var mappedSomething = false;
        var error = IpcErrorCode.None;

        ulong off = 0;
        while (off < size)
        {
            var sp = from.NextPresent(snd + off, snd + size < snd ? ulong.MaxValue : snd + size);
            if (sp == ulong.MaxValue)
                break;
            off = sp - snd;
            var rp = rcv + off;
            if (rp >= to.Limit || rp < rcv)
                break;
            var src = from.Lookup(sp);
            if (src is null)
            {
                off++;
                continue;
            }
            var iRights = src.Rights & rights;
            if (iRights == 0)
            {
                off++;
                continue;
            }
            mappedSomething = true;
            // Fiasco's Page::Attr::apply: the item's memory type replaces the sender's when its option bit is set.
            var caching = setCaching ? itemCaching : src.Caching;
            var existing = to.Lookup(rp);
            if (existing is not null)
            {
                var rel = MappingDatabase.Relate(src, existing);
                if (rel == MappingDatabase.Relation.DstChildOfSrc && !grant)
                {
                    // An existing child: rights are or-ed in (never above the sender's), the page attributes are rewritten.
                    existing.Rights |= iRights;
                    if (existing.Caching != caching && !isIo)
                    {
                        existing.Caching = caching;
                        to.Invalidate();
                    }
                    off++;
                    continue;
                }
                MappingDatabase.Flush(existing, self: true);
                if (rel == MappingDatabase.Relation.DstEqualToOrAncestorOfSrc)
                {
                    // The sender's mapping was in the flushed subtree: nothing left to map.
                    off++;
                    continue;
                }
            }
            bool ok;
            if (grant && !src.IsRoot)
                ok = MappingDatabase.Grant(src, to, rp, iRights, caching);
            else
                ok = MappingDatabase.InsertChild(src, to, rp, iRights, caching) is not null;
            if (!ok)
            {
                error = IpcErrorCode.SeMapFailed;
                break;
            }
            from.Owner.Kernel.Trace.Record(grant && !src.IsRoot ? TraceKind.Grant : TraceKind.Map, null, to.Owner, rp, (ulong)iRights);
            off++;
        }
        if (error != IpcErrorCode.None)
            return IpcErrorWord.Send(error);
        return mappedSomething ? default : new IpcErrorWord(IpcErrorWord.EmptyMapBit);
    }

    private static void UnmapFrames(MapSpace space, Fpage fp, UnmapFlags mask, bool isIo)
    {
        var shift = isIo ? 0 : Fpage.PageOrder;
        ulong start, end;
        if (fp.IsAll)
        {
            start = 0;
            end = space.Limit;
        }
        else
        {
            if (!isIo && fp.Order < Fpage.PageOrder)
                return;
            var o = Math.Min(fp.Order - shift, 63);
            start = (isIo ? fp.Port : fp.Address >> 12) & ~Mask(o);
            end = start + (1UL << o);
            if (end < start || end > space.Limit)
                end = space.Limit;
        }
        var rights = isIo ? (MemRights)(fp.RightsBits & 7) : fp.MemRights;
        if (fp.IsAll)
            rights = (MemRights)(fp.RightsBits & 7);
        var fullFlush = isIo ? rights != 0 : (rights & MemRights.R) != 0;
        var self = (mask & UnmapFlags.AllSpaces) != 0;
        if (rights == 0)
            return;
        var p = space.NextPresent(start, end);
        while (p != ulong.MaxValue)
        {
            if (space.Lookup(p) is { } node)
            {
                if (fullFlush)
                    MappingDatabase.Flush(node, self);
                else
                    MappingDatabase.ReduceRights(node, rights, self);
                space.Owner.Kernel.Trace.Record(TraceKind.Unmap, null, space.Owner, p, (ulong)rights);
            }
            if (p + 1 == 0)
                break;
            p = space.NextPresent(p + 1, end);
        }
    }

    private static IpcErrorWord MapCaps(CapSpace from, Fpage fpFrom, CapSpace to, Fpage fpTo, SndItem control)
    {
        var so = fpFrom.Order;
        var ro = fpTo.IsAll ? Fpage.WholeAddressSpace : fpTo.Order;
        var snd = fpFrom.ObjIndex & ~Mask(so);
        var rcv = (fpTo.IsAll ? 0 : fpTo.ObjIndex) & ~Mask(ro);
        FreeConstraint(ref snd, ref so, ref rcv, ro, control.Index);
        var size = so >= 63 ? 1UL << 63 : 1UL << so;
        var mapAttr = (byte)((fpFrom.RightsBits & 0xf) | ((CapSlot.CountedBit ^ control.Attributes) & 0xf0));
        var grant = control.IsGrant;
        var mappedSomething = false;
        var error = IpcErrorCode.None;

        ulong off = 0;
        while (off < size)
        {
            var si = from.NextUsed(snd + off, snd + size < snd ? ulong.MaxValue : snd + size);
            if (si == ulong.MaxValue)
                break;
            off = si - snd;
            var ri = rcv + off;
            if (ri >= to.MaxIndex || ri < rcv)
                break;
            if (!from.TryLookup(si, out var obj, out var srcAttr))
            {
                off++;
                continue;
            }
            var iAttr = (byte)(srcAttr & mapAttr);
            if ((iAttr & (byte)CapRights.R) == 0)
            {
                off++;
                continue;
            }
            mappedSomething = true;
            if (to.TryLookup(ri, out _, out _))
            {
                // Overmapping: the old capability goes as with a full unmap (deleting the object when it had D).
                var same = ReferenceEquals(from, to) && si == ri;
                RemoveCap(to, ri, delete: true);
                if (same)
                {
                    off++;
                    continue;
                }
            }
            if (obj.IsDeleted)
            {
                off++;
                continue;
            }
            if (!to.Insert(ri, obj, iAttr))
            {
                error = IpcErrorCode.SeMapFailed;
                break;
            }
            if (grant)
            {
                // The receiver takes the sender's place; a counted grant into a weak slot may drop the last reference.
                from.Remove(si, out _);
                if (obj.CountedRefs <= 0)
                    obj.Delete();
            }
            to.Owner.Kernel.Trace.Record(grant ? TraceKind.Grant : TraceKind.MapCap, null, to.Owner, ri, iAttr);
            off++;
        }
        if (error != IpcErrorCode.None)
            return IpcErrorWord.Send(error);
        return mappedSomething ? default : new IpcErrorWord(IpcErrorWord.EmptyMapBit);
    }

    /// <summary>Removes a capability as a full self-unmap does (Fiasco's <c>Kobject_mapdb::flush</c>): deletes the object when requested and allowed, or when it was the last counted reference.</summary>
    internal static void RemoveCap(CapSpace space, ulong index, bool delete)
    {
        var obj = space.Remove(index, out var attr);
        if (obj is null)
            return;
        if ((delete && (attr & (byte)CapRights.D) != 0) || ((attr & CapSlot.CountedBit) != 0 && obj.CountedRefs <= 0))
            obj.Delete();
    }

    private static void UnmapCaps(CapSpace space, Fpage fp, UnmapFlags mask)
    {
        if ((mask & UnmapFlags.AllSpaces) == 0)
            return; // object capabilities have no children: only the caller's own slot can be affected
        ulong start, end;
        if (fp.IsAll)
        {
            start = 0;
            end = space.MaxIndex;
        }
        else
        {
            var o = fp.Order;
            start = fp.ObjIndex & ~Mask(o);
            end = o >= 64 ? ulong.MaxValue : start + (1UL << o);
            if (end < start)
                end = ulong.MaxValue;
        }
        var rights = (CapRights)(fp.RightsBits & 0xf);
        var delete = (mask & UnmapFlags.DeleteBit) != 0;
        var i = space.NextUsed(start, end);
        while (i != ulong.MaxValue)
        {
            if ((rights & CapRights.R) != 0)
                RemoveCap(space, i, delete);
            else
                space.RemoveRights(i, rights);
            space.Owner.Kernel.Trace.Record(TraceKind.UnmapCap, null, space.Owner, i, (ulong)rights);
            if (i + 1 == 0)
                break;
            i = space.NextUsed(i + 1, end);
        }
    }
}
