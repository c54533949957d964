using L4Re.Kernel.Abi;

namespace L4Re.Kernel.Ipc;

/// <summary>
/// Walks the send items after the untyped words in the message registers (Fiasco's
/// <c>L4_snd_item_iter</c>): two words per item, stopping at the end of the 63 MRs.
/// </summary>
internal struct SendItemIterator(Utcb utcb, uint words)
{
    private int _pos = (int)words;

    public ulong Word0 { get; private set; }

    public ulong Word1 { get; private set; }

    public readonly SndItem Item => new(Word0);

    public bool Next()
    {
        var mrs = utcb.Mrs;
        if (_pos >= Utcb.MaxWords)
        {
            Word0 = 0;
            return false;
        }
        Word0 = mrs[_pos++];
        Word1 = 0;
        if (Word0 != 0)
        {
            if (_pos >= Utcb.MaxWords)
                return false;
            Word1 = mrs[_pos];
        }
        _pos++;
        return true;
    }
}

/// <summary>
/// Walks the receive buffers in the buffer registers from a start index (Fiasco's <c>L4_buf_iter</c>):
/// a small object buffer is one word, a map buffer two, forwarding adds the destination task word.
/// </summary>
internal struct BufferIterator
{
    private readonly Utcb _utcb;
    private int _pos;

    private BufferIterator(Utcb utcb, int start)
    {
        _utcb = utcb;
        _pos = start;
        Valid = false;
        Item = default;
        Window = default;
        TaskSelector = 0;
    }

    public bool Valid { get; private set; }

    public BufItem Item { get; private set; }

    public Fpage Window { get; private set; }

    public ulong TaskSelector { get; private set; }

    public static BufferIterator First(Utcb utcb, int start)
    {
        var it = new BufferIterator(utcb, start);
        it.Next();
        return it;
    }

    public bool Next()
    {
        var brs = _utcb.Brs;
        Valid = false;
        if (_pos >= Utcb.MaxBuffers)
        {
            Item = default;
            return false;
        }
        Item = new BufItem(brs[_pos]);
        if (Item.IsVoid)
            return false;
        if (Item.IsMap && Item.IsSmallObj)
        {
            Window = Item.SmallObjWindow;
        }
        else
        {
            if (++_pos >= Utcb.MaxBuffers)
            {
                Item = default;
                return false;
            }
            Window = new Fpage(brs[_pos]);
        }
        if (Item.ForwardMappings)
        {
            if (++_pos >= Utcb.MaxBuffers)
            {
                Item = default;
                return false;
            }
            TaskSelector = brs[_pos];
        }
        _pos++;
        Valid = true;
        return true;
    }
}
