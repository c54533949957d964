using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using L4Re.Io.Client;
using L4Re.Io.Hw;
using L4Re.Io.Ipc;
using L4Re.Io.Vmm;
using L4Re.Kernel.Abi;
using L4Re.Kernel.Memory;
using L4Re.Kernel.Native;
using L4Re.Kernel.Vcpu;
using L4Re.Platform.BaikalT.Soc;
using L4Re.Platform.BaikalT.Time;
using L4Re.Platform.BaikalT.Trusted;
using L4Re.Uvmm.DeviceTree;
using L4Re.Uvmm.Devices;
using L4Re.Uvmm.Vmm;
using L4Re.Uvmm.Vz;
using L4Re.Vio.Devices.Console;
using L4Re.Vio.Memory;
using L4Re.Vio.Switch;
using L4Re.Vio.Virtio;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace L4Re.Platform.BaikalT.Vm;

/// <summary>
/// The VMM of the untrusted OpenWrt VM: uvmm (L4Re.Uvmm's <see cref="VmBuilder"/> and <see cref="MipsVm"/>: device tree,
/// device registry, MMIO bus, exit handler, loaders, run loop) on the kernel model. What this class adds is what uvmm on
/// Fiasco gets from its environment: guest RAM placed in the board's DRAM and mapped into the kernel VM object, which is
/// the vCPU's second stage (<see cref="VmSecondStage"/>); the devices of its vbus passed through (MMIO windows mapped into
/// the VM through the vbus; IRQs bound through the vbus ICU); the virtio-net device plugged into the virtual switch; and
/// the vCPU resumed with the kernel's <c>vcpu_resume</c> on its host-driven thread (<see cref="KernelVcpuRunner"/>). The
/// virtio console at 0x30020000 is the radio control channel: complete lines the guest writes there are forwarded as IPC
/// calls to the trusted Wi-Fi component (<see cref="RadioLineProtocol"/>) and the answers written back — the only path
/// from the VM to the radio.
/// </summary>
public sealed partial class OpenWrtVmm
{
    private readonly OpenWrtVmmSetup _setup;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _log;
    private readonly VbusClient _vbus;
    private readonly List<byte> _line = [];
    private readonly StringBuilder _consoleLine = new();
    private readonly Dictionary<ulong, IrqSink> _passthroughIrqs = [];
    private readonly List<string> _consoleLines = [];
    private readonly List<(string Request, string Reply)> _radioLog = [];
    private readonly KernelVcpuRunner _runner;
    private bool _discarding;
    private ulong _nextIrqSlot = OpenWrtVmmSetup.FirstIrqSlot;

    /// <summary>Builds the VM with <paramref name="image"/> loaded and its vCPU ready (nothing runs until <see cref="Run"/>).</summary>
    /// <param name="setup">What the VMM is started with.</param>
    /// <param name="image">What the VM runs.</param>
    /// <param name="loggerFactory">Logging.</param>
    public OpenWrtVmm(OpenWrtVmmSetup setup, IGuestImage image, ILoggerFactory? loggerFactory = null)
    {
        _setup = setup ?? throw new ArgumentNullException(nameof(setup));
        Image = image ?? throw new ArgumentNullException(nameof(image));
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _log = _loggerFactory.CreateLogger<OpenWrtVmm>();
        _vbus = new VbusClient(setup.Thread, OpenWrtVmmSetup.VbusSlot);
        Radio = new RadioClient(setup.Thread, OpenWrtVmmSetup.RadioSlot);
        Stage = new VmSecondStage(setup.VmObject, setup.Board.Devices);

        var tree = OpenWrtDeviceTree.Create(setup.RamSize, image.CpuCompatible);
        Passthrough = PlanPassthrough(tree);
        var builder = new VmBuilder()
            .WithDeviceTree(tree)
            .WithLogging(_loggerFactory)
            .WithVcpuOptions(new VcpuOptions { CpuNum = 0, TlbEntries = P5600Core.VtlbEntries })
            .ConfigurePlatform(platform =>
            {
                // The control channel is a virtio console the VMM serves itself (Uvmm's default console slot would be a guest console).
                platform.Registry.Register("virtio,mmio", (devices, node) => CreateRadioChannel(platform, devices, node), vdev: "console");
                platform.Registry.PassThrough = new DelegateDeviceFactory(CreatePassthrough);
                // UART1's node lists "ns16550a" after "snps,dw-apb-uart" so that a kernel without 8250_dw binds it with
                // of_serial; uvmm's registry would make an "ns16550a" node its own emulated UART (uart_8250), so the
                // DesignWare compatible, tried first, names the pass-through factory: the guest drives the board's UART1.
                platform.Registry.Register(OpenWrtDeviceTree.UartCompatible, CreatePassthrough);
            })
            .WithSecondStage(platform =>
            {
                MapRam(platform.Vm.Ram);
                return Stage;
            });
        if (setup.Switch is not null)
            builder.WithNetwork(setup.Switch, setup.PortOptions); // Uvmm's virtio-net slot (l4vmm,virtiocap "net")
        image.Configure(builder);
        Vm = builder.Build();

        var executor = new VzVcpuExecutor(setup.Kernel, Vm.Vcpu, VmBuilder.CpuClockHz(Vm.Tree)) { LimitReached = setup.WakeIrq.Trigger };
        _runner = new KernelVcpuRunner(setup.Thread, executor, OnIpc);
        Vm.Runner = _runner;
        if (Vm.Platform.Cores[0] is { } core)
            core.Changed += _ => setup.WakeIrq.Trigger();
        var thread = setup.Thread;
        thread.VcpuExecutor = executor;
        var state = thread.EnableVcpu();
        state.UserTask = OpenWrtVmmSetup.VmSlot;
        state.SavedState = VcpuStateFlags.UserMode | VcpuStateFlags.Irqs;
        LogBoot(_log, image.Description, Vm.Vcpu.Pc);
    }

    /// <summary>The VM (uvmm's).</summary>
    public MipsVm Vm { get; }

    /// <summary>The VM's devices.</summary>
    public MipsVirtualPlatform Platform => Vm.Platform;

    /// <summary>The pass-through plan (what of the vbus went into the VM).</summary>
    public PassthroughPlan Passthrough { get; }

    /// <summary>The second stage (the kernel VM object).</summary>
    public VmSecondStage Stage { get; }

    /// <summary>The executor the kernel runs the vCPU with.</summary>
    public VzVcpuExecutor Executor => _runner.Executor;

    /// <summary>The radio protocol client on the VMM's thread.</summary>
    public RadioClient Radio { get; }

    /// <summary>The radio control channel (virtio console).</summary>
    public VirtioConsoleDevice? RadioChannel { get; private set; }

    /// <summary>The VM's port of the virtual switch.</summary>
    public VirtioNetPort? SwitchPort => Platform.NetPorts.Count > 0 ? Platform.NetPorts[0] : null;

    /// <summary>Lines the guest printed on its console (the passed-through UART1).</summary>
    public IReadOnlyList<string> ConsoleLines => _consoleLines;

    /// <summary>Every radio request line and its reply.</summary>
    public IReadOnlyList<(string Request, string Reply)> RadioLog => _radioLog;

    /// <summary>Called for every complete console line.</summary>
    public Action<string>? ConsoleLine { get; set; }

    /// <summary>What was loaded.</summary>
    public IGuestImage Image { get; }

    /// <summary>
    /// Runs the VM until it stops (power-off, reboot, halt), until <paramref name="maxInstructions"/> guest instructions have
    /// run in total, until its clock reaches <paramref name="maxVirtualNs"/>, or until the kernel has nothing left that
    /// could wake it.
    /// </summary>
    /// <param name="maxInstructions">The instruction limit (total since boot).</param>
    /// <param name="maxVirtualNs">The virtual-time limit (the VM's clock).</param>
    public VmRunResult Run(long maxInstructions = 10_000_000_000, long maxVirtualNs = 3_600_000_000_000)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxInstructions);
        ArgumentOutOfRangeException.ThrowIfNegative(maxVirtualNs);
        var budget = Math.Max(0, maxInstructions - Vm.Instructions);
        if (budget > 0 && !Vm.Stopped)
        {
            Vm.RunFor((ulong)maxVirtualNs, () =>
            {
                ServeRadioChannel();
                DrainConsole();
                return _runner.ResumeError is not null;
            }, budget);
        }
        ServeRadioChannel();
        DrainConsole();
        if (_runner.ResumeError is { } error)
            return Result(VmStop.Error, $"vcpu_resume failed: {error}");
        if (_runner.Stuck)
            return Result(VmStop.Idle, "the guest waits for an interrupt that nothing can raise");
        if (Vm.StopReason is { } p)
            return Result(p.Kind switch { ShutdownKind.PowerOff => VmStop.PowerOff, ShutdownKind.Reboot => VmStop.Reboot, _ => VmStop.Halt }, p.Reason, p.Code);
        if (Vm.Instructions >= maxInstructions)
            return Result(VmStop.InstructionLimit, $"{maxInstructions} instructions");
        return Result(VmStop.TimeLimit, $"{maxVirtualNs / 1e9:0.###} s of virtual time");
    }

    private VmRunResult Result(VmStop stop, string reason, uint code = 0) =>
        new(stop, reason, code, Vm.Instructions, (long)Vm.Clock.NowNanoseconds);

    private void OnIpc(ulong label)
    {
        if (label >= OpenWrtVmmSetup.PassthroughIrqLabel && _passthroughIrqs.TryGetValue(label, out var sink))
            sink.Inject();
        // The wake IRQ carries no data: the devices' state is what the next UpdateInterrupts reads.
    }

    // ---- the radio control channel --------------------------------------------------------------

    private VirtioMmioSlot CreateRadioChannel(MipsVirtualPlatform platform, IDeviceLookup devices, DtNode node)
    {
        var inline = new PipeOptions(readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline, useSynchronizationContext: false);
        var console = new VirtioConsoleDevice(platform.DriverMemory, new VirtioConsoleOptions { PipeOptions = inline }, _loggerFactory.CreateLogger<VirtioConsoleDevice>());
        var slot = new VirtioMmioSlot(console, devices.ConnectInterrupt(node), "radio-channel");
        devices.RegisterMmioDevice(slot, node);
        RadioChannel = console;
        return slot;
    }

    /// <summary>Forwards every complete line the guest wrote to the radio channel as one IPC call and writes the reply back.</summary>
    private void ServeRadioChannel()
    {
        if (RadioChannel is not { } console || !console.Output.TryRead(out var result))
            return;
        var buffer = result.Buffer;
        foreach (var segment in buffer)
        {
            foreach (var b in segment.Span)
            {
                if (b == (byte)'\n')
                {
                    var reply = _discarding ? "error: request longer than 200 characters" : Forward(Encoding.ASCII.GetString([.. _line]).TrimEnd('\r'));
                    _discarding = false;
                    _line.Clear();
                    var bytes = Encoding.ASCII.GetBytes(reply + "\n");
                    console.Input.Write(bytes);
                    var flush = console.Input.FlushAsync();
                    if (flush.IsCompleted)
                        flush.GetAwaiter().GetResult();
                }
                else if (_line.Count < RadioLineProtocol.MaxLine)
                {
                    _line.Add(b);
                }
                else
                {
                    _discarding = true;
                }
            }
        }
        console.Output.AdvanceTo(buffer.End);
        console.PumpInput();
    }

    private string Forward(string line)
    {
        var printable = new string([.. line.Select(c => c is >= ' ' and <= '~' ? c : '?')]);
        var reply = RadioLineProtocol.Handle(Radio, printable);
        if (_radioLog.Count < 10_000)
            _radioLog.Add((printable, reply));
        LogRadio(_log, printable, reply);
        return reply;
    }

    // ---- guest RAM -------------------------------------------------------------------------------

    /// <summary>Places guest RAM in physical memory, maps it into the VMM's task and from there into the VM object.</summary>
    private void MapRam(GuestRam ram)
    {
        var phys = _setup.RamPhysical;
        foreach (var region in ram.Regions)
        {
            _setup.Board.PlaceRam(region.Dataspace, phys + region.GuestPhysical);
            var va = OpenWrtVmmSetup.RamVa + region.GuestPhysical;
            _setup.Task.Attach(region.Dataspace, va, MemRights.RWX);
            for (ulong done = 0; done < region.Size;)
            {
                var order = Fpage.PageOrder;
                while (order < 30 && ((va + done) & ((1UL << (order + 1)) - 1)) == 0 && ((region.GuestPhysical + done) & ((1UL << (order + 1)) - 1)) == 0
                       && done + (1UL << (order + 1)) <= region.Size)
                    order++;
                var err = _setup.VmObject.Map(_setup.Task, Fpage.Memory(va + done, order, MemRights.RWX), region.GuestPhysical + done);
                if (!err.IsOk)
                    throw new InvalidOperationException($"mapping guest RAM at 0x{region.GuestPhysical + done:x} into the VM failed: {err}");
                done += 1UL << order;
            }
        }
    }

    // ---- pass-through ------------------------------------------------------------------------------

    private PassthroughPlan PlanPassthrough(DtTree tree)
    {
        var views = VbusDeviceView.Scan(_vbus);
        var nodes = new List<PassthroughNode>();
        foreach (var path in OpenWrtDeviceTree.PassthroughNodes)
        {
            var node = tree.Nodes.First(n => n.Path == path);
            var reg = node.GetTranslatedReg().Select(r => new RegEntry(r.Address, r.Size)).ToList();
            var irqs = node.GetInterrupts().Select(i => i.Cells.Count == 3 ? i.Cells[1] : i.Cells[0]).ToList();
            nodes.Add(new PassthroughNode(path, reg, irqs));
        }
        var plan = PassthroughMatcher.Match(views, nodes, [new RegEntry(0, (ulong)_setup.RamSize)]);
        if (plan.Errors.Count > 0)
            throw new InvalidOperationException("pass-through: " + string.Join("; ", plan.Errors));
        return plan;
    }

    private IVmDevice? CreatePassthrough(IDeviceLookup devices, DtNode node)
    {
        if (Passthrough.MatchOf(node.Path) is not { } match)
            return null;
        IVmDevice? first = null;
        foreach (var w in match.Mmio)
        {
            var err = _vbus.MapWindow(Resource.Mmio("win", w.HostAddress, w.Size), w.GuestAddress,
                DataspaceMapFlags.RW | DataspaceMapFlags.Uncacheable, intoTask: OpenWrtVmmSetup.VmSlot);
            if (err != L4Error.Ok)
            {
                LogPassthroughFailed(_log, node.Path, err.ToString());
                return null;
            }
            var device = new PassthroughMmio(node.Path, Stage, w.GuestAddress);
            devices.Mmio.Add(w.GuestAddress, w.Size, device, node.Path);
            first ??= device;
        }
        for (var i = 0; i < match.Irqs.Count; i++)
        {
            if (!BindPassthroughIrq(devices, node, i, match.Irqs[i]))
                return null;
        }
        return first ?? new PassthroughMmio(node.Path, Stage, 0);
    }

    private bool BindPassthroughIrq(IDeviceLookup devices, DtNode node, int index, IrqRoute route)
    {
        var thread = _setup.Thread;
        if (_passthroughIrqs.Count == 0 && _vbus.GetIcu(OpenWrtVmmSetup.IcuSlot) != L4Error.Ok)
            return false;
        var slot = CapSel.FromIndex(_nextIrqSlot++);
        var label = OpenWrtVmmSetup.PassthroughIrqLabel + route.GuestIrq;
        if (thread.Call(OpenWrtVmmSetup.FactorySlot, L4Sys.FactoryCreate(thread.Utcb, ProtocolLabel.IrqSender, slot)).Tag.Label < 0)
            return false;
        thread.Utcb.Br[0] = 0;
        if (thread.Call(slot, L4Sys.RcvEpBind(thread.Utcb, OpenWrtVmmSetup.ThreadSlot, label)).Tag.Label < 0)
            return false;
        if (_vbus.BindIrq(OpenWrtVmmSetup.IcuSlot, route.HostIrq, slot) != L4Error.Ok)
            return false;
        var sink = devices.ConnectInterrupt(node, index);
        _passthroughIrqs[label] = sink;
        if (sink.Controller is { } ic)
            ic.BindSourceHandler(sink.Irq, new PassthroughEoi(this, sink, slot));
        return true;
    }

    /// <summary>The guest acknowledged a pass-through interrupt: deassert it and unmask the kernel IRQ (level lines come back if still asserted).</summary>
    private sealed class PassthroughEoi(OpenWrtVmm vmm, IrqSink sink, CapSel irq) : IIrqSourceHandler
    {
        public void Eoi()
        {
            sink.Ack();
            var t = vmm._setup.Thread;
            t.Send(irq, L4Sys.IrqEoi(t.Utcb), TimeoutPair.SendZero);
        }
    }

    // ---- console ------------------------------------------------------------------------------------

    private void DrainConsole()
    {
        var uart = _setup.Board.Uart1;
        if (!uart.Output.TryRead(out var result))
            return;
        foreach (var segment in result.Buffer)
        {
            foreach (var b in segment.Span)
            {
                if (b == (byte)'\n')
                {
                    var line = _consoleLine.ToString();
                    _consoleLine.Clear();
                    if (_consoleLines.Count < 100_000)
                        _consoleLines.Add(line);
                    ConsoleLine?.Invoke(line);
                }
                else if (b != (byte)'\r' && _consoleLine.Length < 1000)
                {
                    _consoleLine.Append(b is >= 0x20 and < 0x7f ? (char)b : '?');
                }
            }
        }
        uart.Output.AdvanceTo(result.Buffer.End);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "uvmm: booting {Image} at 0x{Pc:x8}")]
    private static partial void LogBoot(ILogger logger, string image, uint pc);

    [LoggerMessage(Level = LogLevel.Information, Message = "uvmm: radio request '{Request}' -> '{Reply}'")]
    private static partial void LogRadio(ILogger logger, string request, string reply);

    [LoggerMessage(Level = LogLevel.Warning, Message = "uvmm: pass-through of {Node} failed: {Error}")]
    private static partial void LogPassthroughFailed(ILogger logger, string node, string error);
}
