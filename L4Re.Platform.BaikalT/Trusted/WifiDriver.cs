using L4Re.Io.Client;
using L4Re.Io.Dma;
using L4Re.Io.Hw;
using L4Re.Platform.BaikalT.Wifi;
using L4Re.Io.Ipc;
using L4Re.Io.Vbus;
using L4Re.Kernel;
using L4Re.Kernel.Abi;
using L4Re.Kernel.Ipc;
using L4Re.Kernel.Native;
using L4Re.Platform.BaikalT.Devices;
using L4Re.Platform.BaikalT.Time;
using L4Re.Regulatory.Dfs;
using L4Re.Regulatory.Gate;
using L4Re.Vio.Driver;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace L4Re.Platform.BaikalT.Trusted;

/// <summary>
/// The trusted Wi-Fi component: a native L4Re program (C# async on the kernel model) that alone owns the NIC — it
/// finds it on its vbus, maps its registers, binds its interrupt through the vbus ICU and gives it DMA access only to
/// its own rings and buffers (its kernel DMA space, bound through the vbus; without an IOMMU io answers
/// <c>-L4_ENODEV</c> and the driver falls back to physical addresses, as <c>Dma_space::map</c> does in CPU-phys mode). It
/// holds the regulatory policy gate with the country fixed by the trusted side and a DFS state machine on the kernel's
/// virtual clock, serves the radio protocol (<see cref="RadioProtocol"/>) behind an Ipc_gate, and bridges frames between
/// its port of the virtual switch and the NIC's rings. It programs the NIC only with what the gate granted.
/// </summary>
public sealed partial class WifiDriver
{
    /// <summary>Descriptors per ring.</summary>
    public const int RingSize = 16;
    /// <summary>Bytes per frame buffer.</summary>
    public const int BufferSize = 2048;

    // Layout of the DMA area (offsets into the component's memory).
    private const ulong TxRingOffset = 0x0000, RxRingOffset = 0x1000, TxBufOffset = 0x2000, RxBufOffset = TxBufOffset + RingSize * BufferSize;

    private readonly WifiDriverSetup _setup;
    private readonly Microkernel _kernel;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _log;
    private readonly List<RadioEvent> _events = [];
    private readonly byte[] _frame = new byte[BufferSize];
    private MmioAccessor? _mmio;
    private VirtioNetDriver? _net;
    private ulong _dmaBase;
    private uint _nicIrq;

    /// <summary>Creates the component (it does nothing until its thread runs <see cref="Main"/>).</summary>
    public WifiDriver(WifiDriverSetup setup, Microkernel kernel, ILoggerFactory? loggerFactory = null)
    {
        _setup = setup ?? throw new ArgumentNullException(nameof(setup));
        _kernel = kernel ?? throw new ArgumentNullException(nameof(kernel));
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _log = _loggerFactory.CreateLogger<WifiDriver>();
        Clock = new KernelRegulatoryClock(kernel);
    }

    /// <summary>The program the component's thread runs.</summary>
    public NativeMain Main => RunAsync;

    /// <summary>The regulatory clock (the kernel's virtual time).</summary>
    public KernelRegulatoryClock Clock { get; }

    /// <summary>The policy gate (after initialisation).</summary>
    public RegulatoryPolicyGate? Gate { get; private set; }

    /// <summary>True once the NIC is set up and the component serves requests.</summary>
    public bool Ready { get; private set; }

    /// <summary>Why initialisation failed, or null.</summary>
    public string? InitError { get; private set; }

    /// <summary>How the NIC's DMA is translated: through the IOMMU (the DMA space) or CPU-physical (no IOMMU).</summary>
    public DmaMode? DmaMode { get; private set; }

    /// <summary>The device-visible address of the DMA area.</summary>
    public ulong DmaBase => _dmaBase;

    /// <summary>What the component did, in order (the first 1,000 events).</summary>
    public IReadOnlyList<RadioEvent> Events => _events;

    /// <summary>Requests served (including refused and malformed ones).</summary>
    public long Requests { get; private set; }

    /// <summary>Requests answered with an IPC error (malformed, wrong protocol, missing right).</summary>
    public long ProtocolErrors { get; private set; }

    /// <summary>Frames from the switch the NIC radiated.</summary>
    public long FramesToAir { get; private set; }

    /// <summary>Frames from the air forwarded to the switch.</summary>
    public long FramesFromAir { get; private set; }

    /// <summary>Frames from the switch dropped because the radio was not transmitting or the ring was full.</summary>
    public long FramesDropped { get; private set; }

    /// <summary>Radar events handled.</summary>
    public int RadarEvents { get; private set; }

    private async Task RunAsync(NativeContext ctx)
    {
        var err = await InitAsync(ctx);
        if (err is not null)
        {
            InitError = err;
            LogInitFailed(_log, err);
            return;
        }
        Ready = true;
        Record("ready: NIC owned through vbus 'wifi', " + (DmaMode == Io.Dma.DmaMode.Iommu ? $"DMA through the IOMMU at 0x{_dmaBase:x}" : $"DMA CPU-physical at 0x{_dmaBase:x} (no IOMMU)"));
        await ServeAsync(ctx);
    }

    private async Task ServeAsync(NativeContext ctx)
    {
        var r = await ctx.Wait(new TimeoutPair(L4Timeout.Never, ReceiveTimeout()));
        while (true)
        {
            if (r.HasError)
            {
                RunTimers();
                r = await ctx.Wait(new TimeoutPair(L4Timeout.Never, ReceiveTimeout()));
                continue;
            }
            switch (r.Label)
            {
                case WifiDriverSetup.NicIrqLabel:
                    HandleNicInterrupt();
                    // Unmask (EOI) without a receive phase: with one, the IRQ object would make us wait for its next hit.
                    await ctx.Send(WifiDriverSetup.NicIrqSlot, L4Sys.IrqEoi(ctx.Utcb), TimeoutPair.SendZero);
                    RunTimers();
                    r = await ctx.Wait(new TimeoutPair(L4Timeout.Never, ReceiveTimeout()));
                    continue;
                case WifiDriverSetup.NetIrqLabel:
                    HandleNetInterrupt();
                    RunTimers();
                    r = await ctx.Wait(new TimeoutPair(L4Timeout.Never, ReceiveTimeout()));
                    continue;
            }
            var reply = (r.Label & ~3UL) == WifiDriverSetup.GateLabel
                ? Dispatch(ctx.Utcb, r.Tag, (int)(r.Label & 3))
                : MsgTag.FromError(L4Error.BadProto);
            RunTimers();
            r = await ctx.ReplyAndWait(reply, new TimeoutPair(L4Timeout.Zero, ReceiveTimeout()));
        }
    }

    /// <summary>The receive timeout until the next DFS deadline the component acts on (CAC completion).</summary>
    private L4Timeout ReceiveTimeout()
    {
        if (Gate?.Dfs.CacEndsAt is not { } end)
            return L4Timeout.Never;
        var ns = KernelRegulatoryClock.ToKernelNs(end) - _kernel.Now;
        return L4Timeout.FromMicroseconds((ulong)Math.Max(1, (ns + 999) / 1000));
    }

    private async Task<string?> InitAsync(NativeContext ctx)
    {
        var utcb = ctx.Utcb;
        var vbus = WifiDriverSetup.VbusSlot;

        // 1. Find the NIC on the vbus: its register window, its interrupt and its DMA domain.
        Resource? bar = null, irq = null, dmad = null;
        var child = VbusDeviceHandle.Null;
        while (true)
        {
            var r = await ctx.Call(vbus, L4Vbus.GetNextDevice(utcb, VbusDeviceHandle.Root, child));
            if (r.HasError || r.Tag.Label < 0 || !L4Vbus.TryReadDevice(utcb, r.Tag, out var info))
                break;
            child = info.Handle;
            for (uint i = 0; i < info.ResourceCount; i++)
            {
                var rr = await ctx.Call(vbus, L4Vbus.GetResource(utcb, info.Handle, i));
                if (rr.HasError || !L4Vbus.TryReadResource(utcb, rr.Tag, out var res))
                    continue;
                var v = res.Resource;
                if (v.Type == ResourceType.Mem && bar is null)
                    bar = v;
                else if (v.Type == ResourceType.Irq && irq is null)
                    irq = v;
                else if (v.Type == ResourceType.DmaDomain && dmad is null)
                    dmad = v;
            }
        }
        if (bar is not { } window || irq is not { } line)
            return "no Wi-Fi NIC on the vbus";

        // 2. Map its registers into this task through the vbus (io's dataspace map).
        var page = window.Start;
        var local = WifiDriverSetup.NicVa;
        while (page <= window.End)
        {
            var m = await ctx.Call(vbus, L4Vbus.MapMmio(utcb, page, local, DataspaceMapFlags.RW | DataspaceMapFlags.Uncacheable));
            utcb.Br[0] = 0;
            var bytes = m.HasError || m.Tag.Label < 0 ? 0 : L4Vbus.MappedBytes(utcb, m.Tag);
            if (bytes == 0)
                return $"mapping the NIC registers at 0x{page:x} failed: {m}";
            var done = (page & ~(bytes - 1)) + bytes - page;
            page += done;
            local += done;
        }
        _mmio = new MmioAccessor(ctx.Task, _setup.Devices);
        if (Nic(WifiNicRegisters.Id) != WifiNicRegisters.IdValue)
            return $"unexpected NIC id 0x{Nic(WifiNicRegisters.Id):x8}";

        // 3. Its interrupt: an IRQ object from the factory, bound to this thread, attached to the line through the vbus ICU.
        _nicIrq = (uint)line.Start;
        if (await Check(ctx, WifiDriverSetup.FactorySlot, L4Sys.FactoryCreate(utcb, ProtocolLabel.IrqSender, WifiDriverSetup.NicIrqSlot)) is { } e1)
            return "creating the NIC IRQ: " + e1;
        if (await Check(ctx, WifiDriverSetup.NicIrqSlot, L4Sys.RcvEpBind(utcb, WifiDriverSetup.ThreadSlot, WifiDriverSetup.NicIrqLabel)) is { } e2)
            return "binding the NIC IRQ: " + e2;
        var icu = VbusDeviceHandle.Null;
        var f = await ctx.Call(vbus, L4Vbus.GetDeviceByHid(utcb, VbusDeviceHandle.Root, icu, VirtualBus.IcuHid));
        if (f.HasError || !L4Vbus.TryReadDevice(utcb, f.Tag, out var icuInfo))
            return "no ICU on the vbus";
        var g = await ctx.Call(vbus, L4Vbus.GetIcuCapability(utcb, icuInfo.Handle, WifiDriverSetup.IcuSlot));
        utcb.Br[0] = 0;
        if (g.HasError || g.Tag.Label < 0)
            return $"getting the vbus ICU: {g}";
        if (await Check(ctx, WifiDriverSetup.IcuSlot, L4Sys.IcuBind(utcb, _nicIrq, WifiDriverSetup.NicIrqSlot)) is { } e3)
            return $"binding IRQ {_nicIrq} through the vbus ICU: {e3}";

        // 4. DMA: a kernel DMA space holding only the rings and buffers, bound to the NIC's domain through the vbus.
        if (await Check(ctx, WifiDriverSetup.FactorySlot, L4Sys.FactoryCreate(utcb, ProtocolLabel.DmaSpace, WifiDriverSetup.DmaSpaceSlot)) is { } e4)
            return "creating the DMA space: " + e4;
        var order = System.Numerics.BitOperations.Log2(WifiDriverSetup.DmaAreaSize);
        if (await Check(ctx, WifiDriverSetup.DmaSpaceSlot, L4Sys.TaskMap(utcb, WifiDriverSetup.TaskSlot,
                Fpage.Memory(WifiDriverSetup.MemoryVa, order, MemRights.RW), WifiDriverSetup.DmaIova)) is { } e5)
            return "mapping the DMA area into the DMA space: " + e5;
        var domain = dmad is { } d ? (uint)d.Start : uint.MaxValue;
        var a = await ctx.Call(vbus, L4Vbus.AssignDmaDomain(utcb, domain, DmaDomainAssignFlags.Bind | DmaDomainAssignFlags.KernelDmaSpace, WifiDriverSetup.DmaSpaceSlot));
        if (!a.HasError && a.Tag.Label == 0)
        {
            DmaMode = Io.Dma.DmaMode.Iommu;
            _dmaBase = WifiDriverSetup.DmaIova;
        }
        else if (!a.HasError && a.Tag.ResultError == L4Error.NoDev)
        {
            // io runs CPU-phys (no IOMMU): DMA addresses are physical addresses, the NIC reaches all RAM.
            DmaMode = Io.Dma.DmaMode.CpuPhys;
            _dmaBase = _setup.MemoryPhysical;
        }
        else
        {
            return $"binding the DMA space: {a}";
        }

        // 5. The NIC: reset, lock the regulatory domain, rings, interrupts; radio off until a request is granted.
        InitNic();

        // 6. The policy gate, on the kernel's virtual clock.
        Gate = new RegulatoryPolicyGate(_setup.Country, _setup.Capabilities, Clock, _loggerFactory, _setup.GateOptions);
        Gate.Dfs.Changed += OnDfsEvent;

        // 7. The switch port.
        if (_setup.NetTransport is { } transport && _setup.NetMemory is { } memory && _setup.NetAllocator is { } allocator)
        {
            // Without EVENT_IDX: every used buffer interrupts, the IRQ handler acknowledges and drains.
            _net = new VirtioNetDriver(transport, memory, allocator, VirtioNetDriver.DefaultFeatures & ~Vio.Virtio.VirtioFeatures.EventIdx, queueSize: 64);
            _net.Start();
        }
        return null;
    }

    private static async Task<string?> Check(NativeContext ctx, CapSel cap, MsgTag tag)
    {
        var r = await ctx.Call(cap, tag);
        ctx.Utcb.Br[0] = 0;
        return r.HasError ? $"IPC error {r.ErrorCode}" : r.Tag.Label < 0 ? $"{r.Tag.ResultError}" : null;
    }

    private void Record(string what)
    {
        if (_events.Count < 1000)
            _events.Add(new RadioEvent(_kernel.Now, what));
        LogEvent(_log, what);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "wifi-drv: {What}")]
    private static partial void LogEvent(ILogger logger, string what);

    [LoggerMessage(Level = LogLevel.Error, Message = "wifi-drv: initialisation failed: {Error}")]
    private static partial void LogInitFailed(ILogger logger, string error);
}
