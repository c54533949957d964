using L4Re.Kernel.Abi;
using L4Re.Kernel.Memory;
using L4Re.Kernel.Objects;

namespace L4Re.Kernel.Ipc;

/// <summary>
/// Copies a message from the sender's UTCB to the receiver's (Fiasco's <c>transfer_msg</c>,
/// <c>copy_utcb_to_utcb</c> and <c>transfer_msg_items</c>): the untyped words, then each typed item —
/// a map or grant of a memory, I/O or object flexpage into the receiver's next matching receive
/// buffer. A missing or mismatching buffer cuts the message (<see cref="IpcErrorCode.SeMsgCut"/> for the
/// sender, <see cref="IpcErrorCode.ReMsgCut"/> for the receiver); a failed map gives map-failed.
/// </summary>
internal static class MessageTransfer
{
    /// <summary>Transfers; sets the receiver's result (tag with the error flag on failure, label) and reply capability.</summary>
    /// <returns>True on success.</returns>
    public static bool Transfer(L4Thread snd, L4Thread rcv, MsgTag tag, CapRights rights, ulong fromSpec, bool openWait)
    {
        var words = (int)tag.Words;
        var src = snd.Utcb.Mrs;
        var dst = rcv.Utcb.Mrs;
        if (words > 0)
        {
            if (words <= 4)
            {
                for (var i = 0; i < words; i++)
                    dst[i] = src[i];
            }
            else
            {
                Array.Copy(src, dst, words);
            }
        }
        rcv.Utcb.ErrorRaw = 0;
        var ok = tag.Items == 0 || TransferItems(snd, rcv, tag, rights);
        rcv.SetResult(tag.WithError(!ok), fromSpec);
        if (ok && openWait && snd.HaveReceive && ReferenceEquals(snd.ClosedSender, rcv))
            rcv.SetReplyCap(snd, rights);
        return ok;
    }

    private static void SetError(L4Thread snd, L4Thread rcv, IpcErrorWord error)
    {
        snd.Utcb.ErrorRaw = error.Raw & ~IpcErrorWord.ReceivePhaseBit;
        rcv.Utcb.ErrorRaw = error.AsReceivePhase().Raw;
    }

    private static bool TransferItems(L4Thread snd, L4Thread rcv, MsgTag tag, CapRights rights)
    {
        var rcvUtcb = rcv.Utcb;
        var bdr = rcvUtcb.Bdr;
        var mem = BufferIterator.First(rcvUtcb, bdr.Mem);
        var io = BufferIterator.First(rcvUtcb, bdr.Io);
        var obj = BufferIterator.First(rcvUtcb, bdr.Obj);
        var items = new SendItemIterator(snd.Utcb, tag.Words);
        var left = (int)tag.Items;
        var rcvWord = (int)tag.Words;
        var cut = IpcErrorWord.Send(IpcErrorCode.SeMsgCut);

        while (left > 0 && items.Next())
        {
            var item = items.Item;
            if (item.IsVoid)
            {
                if (rcvWord < Utcb.MaxWords)
                    rcvUtcb.Mrs[rcvWord] = 0;
                rcvWord += 2;
                left--;
                continue;
            }
            var sfp = new Fpage(items.Word1);
            ref var buf = ref mem;
            if (!item.IsMap)
            {
                SetError(snd, rcv, cut);
                return false;
            }
            switch (sfp.Type)
            {
                case FpageType.Memory:
                    buf = ref mem;
                    break;
                case FpageType.Io:
                    buf = ref io;
                    break;
                case FpageType.Obj:
                    buf = ref obj;
                    break;
                default:
                    SetError(snd, rcv, cut);
                    return false;
            }
            if (!buf.Valid || !buf.Item.IsMap)
            {
                SetError(snd, rcv, cut);
                return false;
            }
            // The receiver's item: the send item's control bits with the flexpage's type/order, then the result kind.
            var w0 = rcvWord < Utcb.MaxWords ? rcvWord : -1;
            var w1 = rcvWord + 1 < Utcb.MaxWords ? rcvWord + 1 : -1;
            if (w0 >= 0)
                rcvUtcb.Mrs[w0] = (item.Raw & ~0x0ff6UL) | (sfp.Raw & 0x0ff0);
            rcvWord += 2;
            if (sfp.IsObj)
            {
                // Diminish the rights when sending through a restricted capability: S only if the sender's has S.
                var mask = (byte)((byte)rights | (byte)CapRights.RW | (byte)CapRights.D);
                sfp = sfp.WithRights((byte)(sfp.RightsBits & mask));
            }
            if (!TryLocalId(buf, sfp, snd, rcv, w0, w1))
            {
                var dst = DestinationTask(rcv, buf);
                if (dst is null)
                {
                    SetError(snd, rcv, cut);
                    return false;
                }
                var err = MapOperations.Map(snd.Task!, sfp, dst, buf.Window, item);
                if (err.IsEmptyMap && w0 >= 0)
                    rcvUtcb.Mrs[w0] |= (ulong)ReturnItemType.MapNothing;
                if (!err.IsOk)
                {
                    SetError(snd, rcv, err);
                    return false;
                }
            }
            left--;
            if (!item.IsCompound)
                buf.Next();
        }
        if (left > 0)
        {
            SetError(snd, rcv, cut);
            return false;
        }
        return true;
    }

    /// <summary>Fiasco's <c>try_transfer_local_id</c>: a local-id buffer receives the flexpage (same task) or the gate label and rights instead of a mapping.</summary>
    private static bool TryLocalId(in BufferIterator buf, Fpage sfp, L4Thread snd, L4Thread rcv, int w0, int w1)
    {
        if (!buf.Item.IsLocalId || !sfp.IsObj)
            return false;
        var mrs = rcv.Utcb.Mrs;
        if (ReferenceEquals(snd.Task, rcv.Task))
        {
            if (w0 >= 0)
                mrs[w0] |= (ulong)ReturnItemType.Flexpage;
            if (w1 >= 0)
                mrs[w1] = sfp.Raw;
            return true;
        }
        if (snd.Task?.Caps is not { } caps || !caps.TryLookup(sfp.ObjIndex, out var o, out var a))
            return false;
        if (o is IpcGate g && g.Thread?.Task is { } owner && ReferenceEquals(owner, rcv.Task))
        {
            if (w0 >= 0)
                mrs[w0] |= (ulong)ReturnItemType.Id;
            if (w1 >= 0)
                mrs[w1] = g.Label | ((ulong)a & (ulong)sfp.RightsBits & 3);
            return true;
        }
        return false;
    }

    private static L4Task? DestinationTask(L4Thread rcv, in BufferIterator buf)
    {
        var own = rcv.Task;
        if (!buf.Item.ForwardMappings)
            return own;
        var sel = new CapSel(buf.TaskSelector);
        if (sel.IsInvalid || own?.Caps is not { } caps || !caps.TryLookup(sel.Index, out var o, out var a))
            return null;
        return o is L4Task t && (a & (byte)CapRights.W) != 0 ? t : null;
    }
}
