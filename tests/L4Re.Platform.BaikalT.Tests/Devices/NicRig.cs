using L4Re.Io;
using L4Re.Io.Config;
using L4Re.Io.Dma;
using L4Re.Kernel;
using L4Re.Kernel.Memory;
using L4Re.Platform.BaikalT.Board;
using L4Re.Platform.BaikalT.Wifi;
using L4Re.Uvmm.Vmm;

namespace L4Re.Platform.BaikalT.Tests.Devices;

/// <summary>A NIC on a kernel with 1 MiB of RAM at 0 and io in CPU-phys mode (DMA addresses are physical).</summary>
internal sealed class NicRig
{
    public NicRig()
    {
        Kernel = new Microkernel();
        Ram = new Dataspace(1 << 20, "ram");
        Kernel.PhysicalMemory.Add(Ram, 0);
        Nic = new WifiNic(new Dataspace((long)WifiNicRegisters.WindowSize, "bar0"), () => Kernel.Now) { InterruptLine = l => Lines.Add(l) };
        Kernel.PhysicalMemory.Add(Nic.RegisterFile, BoardIoConfig.WifiBar0, L4Re.Kernel.Memory.PhysicalMemoryKind.IoMemory);
        var io = new IoServer(Kernel, DmaMode.CpuPhys);
        io.Load(BoardIoConfig.AddHardware(new IoConfigBuilder("t")).Build());
        Nic.Dma = io.GetDmaEngine(BoardIoConfig.WifiDevice);
    }

    public Microkernel Kernel { get; }

    public Dataspace Ram { get; }

    public WifiNic Nic { get; }

    public List<bool> Lines { get; } = [];

    public void W(int reg, uint value) => Nic.Write((ulong)reg, MmioWidth.Word, value, 0);

    public uint R(int reg) => (uint)Nic.Read((ulong)reg, MmioWidth.Word, 0);

    /// <summary>Tunes the radio (nothing is checked: the NIC refuses nothing).</summary>
    public void Tune(uint khz, int width, int mbm, uint ctrl, NicMode mode = NicMode.AccessPoint)
    {
        W(WifiNicRegisters.ChanFreq, khz);
        W(WifiNicRegisters.ChanCenter, khz);
        W(WifiNicRegisters.ChanWidth, (uint)width);
        W(WifiNicRegisters.TxPower, (uint)mbm);
        W(WifiNicRegisters.Mode, (uint)mode);
        W(WifiNicRegisters.Ctrl, ctrl);
    }

    /// <summary>Sets up a TX ring of <paramref name="size"/> descriptors at RAM 0x1000 and RX ring at 0x2000; buffers from 0x10000.</summary>
    public void Rings(int size = 8)
    {
        W(WifiNicRegisters.TxRingLo, 0x1000);
        W(WifiNicRegisters.TxRingSize, (uint)size);
        W(WifiNicRegisters.RxRingLo, 0x2000);
        W(WifiNicRegisters.RxRingSize, (uint)size);
        for (var i = 0; i < size; i++)
        {
            var d = Ram.Span.Slice(0x2000 + i * 16, 16);
            BitConverter.TryWriteBytes(d, (ulong)(0x20000 + i * 2048));
            BitConverter.TryWriteBytes(d[8..], (ushort)2048);
        }
        W(WifiNicRegisters.RxTail, (uint)size - 1);
    }

    /// <summary>Queues a frame in TX descriptor <paramref name="index"/> and rings the doorbell.</summary>
    public void Send(int index, byte[] frame, ulong? buffer = null)
    {
        var addr = buffer ?? (ulong)(0x10000 + index * 2048);
        if (buffer is null)
            frame.CopyTo(Ram.Span[(int)addr..]);
        var d = Ram.Span.Slice(0x1000 + index * 16, 16);
        d.Clear();
        BitConverter.TryWriteBytes(d, addr);
        BitConverter.TryWriteBytes(d[8..], (ushort)frame.Length);
        W(WifiNicRegisters.TxTail, (uint)index + 1);
    }

    public (ushort Flags, uint Status, ushort Length) TxDesc(int i) => Desc(0x1000 + i * 16);

    public (ushort Flags, uint Status, ushort Length) RxDesc(int i) => Desc(0x2000 + i * 16);

    private (ushort, uint, ushort) Desc(int at) =>
        (BitConverter.ToUInt16(Ram.Span.Slice(at + 10, 2)), BitConverter.ToUInt32(Ram.Span.Slice(at + 12, 4)), BitConverter.ToUInt16(Ram.Span.Slice(at + 8, 2)));
}
