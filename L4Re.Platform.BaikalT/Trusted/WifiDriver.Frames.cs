using System.Buffers.Binary;
using L4Re.Platform.BaikalT.Wifi;

namespace L4Re.Platform.BaikalT.Trusted;

public sealed partial class WifiDriver
{
    private uint _txTail;   // next TX descriptor the driver fills
    private uint _txClean;  // oldest TX descriptor not yet reclaimed
    private uint _rxNext;   // next RX descriptor the NIC fills

    /// <summary>The component's own memory at <paramref name="offset"/>, through its task's mapping.</summary>
    private Span<byte> Memory(ulong offset, int length)
    {
        var va = WifiDriverSetup.MemoryVa + offset;
        if (!_mmio!.Task.Memory.TryTranslate(va, out var t) || !t.CanWrite || t.Offset + length > t.Dataspace.Size)
            throw new Devices.MmioFaultException(_mmio.Task, va, true, "component memory not mapped");
        return t.Dataspace.Span.Slice((int)t.Offset, length);
    }

    private void HandleNicInterrupt()
    {
        var status = Nic(WifiNicRegisters.IntStatus);
        Nic(WifiNicRegisters.IntStatus, status); // write 1 to clear what we handle
        if ((status & WifiNicRegisters.IntRadar) != 0)
            HandleRadar();
        if ((status & WifiNicRegisters.IntRxDone) != 0)
            HarvestRx();
        if ((status & WifiNicRegisters.IntTxDone) != 0)
            ReclaimTx();
        if ((status & WifiNicRegisters.IntDmaError) != 0)
            Record($"NIC reports {Nic(WifiNicRegisters.DmaErrors)} refused DMA transfer(s)");
    }

    /// <summary>Frames from the switch (OpenWrt's traffic for the radio) go to the NIC's transmit ring.</summary>
    private void HandleNetInterrupt()
    {
        if (_net is not { } net)
            return;
        net.Mmio.AcknowledgeInterrupts();
        int n;
        while ((n = net.TryReceive(_frame)) >= 0)
        {
            if (n == 0 || n > WifiNicRegisters.MaxFrame || !Transmit(_frame.AsSpan(0, Math.Min(n, _frame.Length))))
                FramesDropped++;
        }
        net.Kick();
    }

    private bool Transmit(ReadOnlySpan<byte> frame)
    {
        if ((Nic(WifiNicRegisters.Status) & WifiNicRegisters.StatusTransmitting) == 0)
            return false; // the radio is not granted to transmit
        ReclaimTx();
        if ((_txTail + 1) % RingSize == _txClean)
            return false;
        var slot = (int)_txTail;
        frame.CopyTo(Memory(TxBufOffset + (ulong)(slot * BufferSize), frame.Length));
        var desc = Memory(TxRingOffset + (ulong)(slot * WifiNicRegisters.DescriptorSize), WifiNicRegisters.DescriptorSize);
        BinaryPrimitives.WriteUInt64LittleEndian(desc, _dmaBase + TxBufOffset + (ulong)(slot * BufferSize));
        BinaryPrimitives.WriteUInt16LittleEndian(desc[8..], (ushort)frame.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(desc[10..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(desc[12..], 0);
        _txTail = (_txTail + 1) % RingSize;
        Nic(WifiNicRegisters.TxTail, _txTail);
        var done = Memory(TxRingOffset + (ulong)(slot * WifiNicRegisters.DescriptorSize), WifiNicRegisters.DescriptorSize);
        var ok = (BinaryPrimitives.ReadUInt16LittleEndian(done[10..]) & WifiNicRegisters.DescDone) != 0
                 && BinaryPrimitives.ReadUInt32LittleEndian(done[12..]) == WifiNicRegisters.DescOk;
        if (ok)
            FramesToAir++;
        return ok;
    }

    private void ReclaimTx()
    {
        while (_txClean != _txTail)
        {
            var desc = Memory(TxRingOffset + (ulong)(_txClean * WifiNicRegisters.DescriptorSize), WifiNicRegisters.DescriptorSize);
            if ((BinaryPrimitives.ReadUInt16LittleEndian(desc[10..]) & WifiNicRegisters.DescDone) == 0)
                break;
            _txClean = (_txClean + 1) % RingSize;
        }
    }

    /// <summary>Frames the NIC received from the air go to the switch (to OpenWrt).</summary>
    private void HarvestRx()
    {
        var any = false;
        for (var n = 0; n < RingSize; n++)
        {
            var desc = Memory(RxRingOffset + (ulong)(_rxNext * WifiNicRegisters.DescriptorSize), WifiNicRegisters.DescriptorSize);
            if ((BinaryPrimitives.ReadUInt16LittleEndian(desc[10..]) & WifiNicRegisters.DescDone) == 0)
                break;
            var length = BinaryPrimitives.ReadUInt16LittleEndian(desc[8..]);
            var status = BinaryPrimitives.ReadUInt32LittleEndian(desc[12..]);
            if (status == WifiNicRegisters.DescOk && length is > 0 and <= BufferSize && _net is { } net)
            {
                var frame = Memory(RxBufOffset + (ulong)(_rxNext * BufferSize), length);
                if (net.Send(frame))
                    FramesFromAir++;
            }
            // Give the descriptor back: capacity, flags and status cleared, the buffer address unchanged.
            BinaryPrimitives.WriteUInt16LittleEndian(desc[8..], BufferSize);
            BinaryPrimitives.WriteUInt16LittleEndian(desc[10..], 0);
            BinaryPrimitives.WriteUInt32LittleEndian(desc[12..], 0);
            Nic(WifiNicRegisters.RxTail, _rxNext);
            _rxNext = (_rxNext + 1) % RingSize;
            any = true;
        }
        if (any)
            _net?.ReclaimTx();
    }
}
