using System.IO.Pipelines;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using L4Re.Vio.Capture;
using L4Re.Vio.Devices.Net;
using L4Re.Vio.Memory;
using L4Re.Vio.Virtio;

namespace L4Re.Vio.Switch;

/// <summary>
/// The virtual network switch, behaving like L4Re's l4vio_switch (kernkonzept/l4_virtio-net-switch,
/// server/switch/switch.cc): ports (virtio-net devices of guests, host pipes, capture files), a (MAC, VLAN)
/// learning table, flooding of broadcast and unknown destinations to the ports of the VLAN except the source,
/// 802.1Q tag insertion and removal, access/trunk drop rules, one receive-only monitor port with a filter,
/// per-port statistics and a transmit burst of <see cref="TxBurst"/> requests per port per round.
/// </summary>
/// <remarks>
/// Every entry point holds <see cref="SyncRoot"/>, which is also the lock of every virtio port's device, so
/// guests on different host threads can use their ports concurrently. Frames are copied once, from the
/// sender's buffers into the receiver's, without allocation.
/// </remarks>
public sealed partial class VirtualSwitch
{
    /// <summary>Requests one port may send before the others get their turn (<c>Tx_burst</c>).</summary>
    public const int TxBurst = 128;

    private readonly List<SwitchPort> _ports = [];
    private readonly Queue<SwitchPort> _pending;
    private readonly Random _macRandom;
    private readonly ILogger _logger;
    private readonly ILoggerFactory? _loggerFactory;
    private SwitchPort? _monitor;
    private int _portNumber;
    private bool _running;

    /// <summary>Creates a switch.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public VirtualSwitch(SwitchOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        Options = options ?? new SwitchOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(Options.MaxPorts, 1);
        if (!VirtqueueLayout.IsValidSize(Options.QueueSize))
            throw new ArgumentOutOfRangeException(nameof(options), Options.QueueSize, "the queue size must be a power of two in 1..32768");
        _pending = new Queue<SwitchPort>(Options.MaxPorts + 1);
        _macRandom = new Random(Options.MacSeed);
        _loggerFactory = loggerFactory;
        _logger = loggerFactory?.CreateLogger<VirtualSwitch>() ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>The switch's options.</summary>
    public SwitchOptions Options { get; }

    /// <summary>The lock of the switch and of all its virtio ports.</summary>
    public Lock SyncRoot { get; } = new();

    /// <summary>The ports (without the monitor), in creation order.</summary>
    public IReadOnlyList<SwitchPort> Ports => _ports;

    /// <summary>The monitor port, if any.</summary>
    public SwitchPort? Monitor => _monitor;

    /// <summary>The learning table.</summary>
    public MacTable MacTable { get; } = new();

    /// <summary>The monitor filter: returns true for frames the monitor must not see (null: the monitor sees all).</summary>
    public MonitorFilter? MonitorFilter { get; set; }

    /// <summary>Whether another port (or the monitor, when <paramref name="monitor"/>) can be added (<c>port_available</c>).</summary>
    public bool PortAvailable(bool monitor) => monitor ? _monitor is null : _ports.Count < Options.MaxPorts;

    /// <summary>
    /// Creates a virtio-net port from l4vio_switch factory arguments, e.g. <c>"name=vm1", "vlan=access=10"</c>.
    /// </summary>
    /// <exception cref="FormatException">An argument is malformed.</exception>
    /// <exception cref="InvalidOperationException">No port is available or the MAC is in use.</exception>
    public VirtioNetPort CreatePort(params string[] arguments) => CreatePort(PortOptions.Parse(arguments));

    /// <summary>
    /// Creates a virtio-net port. Its device translates addresses through <paramref name="memory"/> (a VMM passes
    /// the guest's RAM list); by default a new list with room for <see cref="PortOptions.DsMax"/> regions.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="InvalidOperationException">No port is available or the MAC is in use.</exception>
    public VirtioNetPort CreatePort(PortOptions options, DriverMemoryList? memory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        lock (SyncRoot)
        {
            var mac = ChooseMac(options);
            var device = new VirtioNetDevice(memory ?? new DriverMemoryList(options.DsMax), new VirtioNetOptions
            {
                Mac = mac,
                QueueSize = Options.QueueSize,
                EventIdx = Options.EventIdx,
                Status = Options.LinkStatus,
            }, _loggerFactory?.CreateLogger<VirtioNetDevice>())
            {
                SyncRoot = SyncRoot,
            };
            var port = new VirtioNetPort(PortName(options), device);
            Add(port, options);
            return port;
        }
    }

    /// <summary>Creates a port whose client is .NET code over pipes.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="InvalidOperationException">No port is available or the MAC is in use.</exception>
    public HostPort CreateHostPort(PortOptions options, PipeOptions? pipeOptions = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        lock (SyncRoot)
        {
            var port = new HostPort(PortName(options), options.Mac ?? MacAddress.Unknown, pipeOptions);
            Add(port, options);
            return port;
        }
    }

    /// <summary>Creates a receive-only port that writes what it receives to <paramref name="writer"/>; by default the monitor.</summary>
    /// <exception cref="InvalidOperationException">No port (or monitor) is available.</exception>
    public PcapPort CreatePcapPort(PcapWriter writer, PortOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        options ??= new PortOptions { Monitor = true, Name = "pcap" };
        options.Validate();
        lock (SyncRoot)
        {
            var port = new PcapPort(PortName(options), writer);
            Add(port, options);
            return port;
        }
    }

    private MacAddress? ChooseMac(PortOptions options) =>
        options.Mac ?? (Options.AssignMac ? MacAddress.Random(_macRandom) : null);

    private string PortName(PortOptions options) =>
        options.Name is { Length: > 0 } name ? name : $"{(options.Monitor ? "monitor" : "")}[{_portNumber++}]";

    private void Add(SwitchPort port, PortOptions options)
    {
        if (!PortAvailable(options.Monitor))
        {
            port.OnRemoved();
            throw new InvalidOperationException(options.Monitor
                ? $"'{_monitor!.Name}' already defined as monitor port, rejecting monitor port '{port.Name}'"
                : $"Port limit ({Options.MaxPorts}) has been reached.");
        }
        if (options.Monitor)
        {
            if (options.VlanAccess is not null || options.VlanTrunk.Count > 0 || options.VlanTrunkAll)
                LogVlanIgnoredOnMonitor(_logger, port.Name);
            port.SetMonitor();
            _monitor = port;
        }
        else
        {
            if (!port.Mac.IsUnknown && _ports.Exists(p => p.Mac == port.Mac))
            {
                port.OnRemoved();
                throw new InvalidOperationException($"Rejecting port '{port.Name}'. MAC address already in use.");
            }
            port.ConfigureVlan(options);
            _ports.Add(port);
        }
        port.Switch = this;
    }

    /// <summary>Removes a port: its learned addresses are flushed (<c>check_ports</c>); its device is unplugged.</summary>
    public bool RemovePort(SwitchPort port)
    {
        ArgumentNullException.ThrowIfNull(port);
        lock (SyncRoot)
        {
            if (port == _monitor)
                _monitor = null;
            else if (!_ports.Remove(port))
                return false;
            MacTable.Flush(port);
            port.Switch = null;
            port.OnRemoved();
            return true;
        }
    }

    /// <summary>
    /// A port's client has frames to send. With <see cref="SwitchOptions.ProcessOnNotify"/> the switch processes
    /// them at once (and every other port with pending work, <see cref="TxBurst"/> requests at a time).
    /// </summary>
    public void Notify(SwitchPort port)
    {
        ArgumentNullException.ThrowIfNull(port);
        lock (SyncRoot)
        {
            if (port.Switch != this)
                return;
            if (port.IsMonitor)
            {
                port.DropTransmits();
                return;
            }
            Schedule(port);
            if (Options.ProcessOnNotify)
                RunPendingLocked();
        }
    }

    /// <summary>Processes pending transmit work of all ports until none is left; returns the number of requests handled.</summary>
    public int RunPending()
    {
        lock (SyncRoot)
            return RunPendingLocked();
    }

    private void Schedule(SwitchPort port)
    {
        if (port.Queued)
            return;
        port.Queued = true;
        _pending.Enqueue(port);
    }

    private int RunPendingLocked()
    {
        if (_running)
            return 0;
        _running = true;
        var total = 0;
        try
        {
            while (_pending.TryDequeue(out var port))
            {
                port.Queued = false;
                if (port.Switch != this)
                    continue;
                if (!HandlePortTransmit(port, ref total))
                    Schedule(port); // burst limit hit: the port waits for its next round
            }
        }
        finally
        {
            _running = false;
        }
        return total;
    }

    /// <summary>
    /// handle_l4virtio_port_tx: with the port's notifications off and every port's notifications to its client
    /// collected, handles up to <see cref="TxBurst"/> requests; loops while the client sent more meanwhile.
    /// </summary>
    private bool HandlePortTransmit(SwitchPort port, ref int total)
    {
        var handled = 0;
        do
        {
            port.DisableNotifications();
            if (handled >= TxBurst)
                return false;
            BeginAllDeliveries();
            try
            {
                while (handled < TxBurst && port.TryTakeRequest(out var request))
                {
                    HandleRequest(port, request);
                    port.CompleteRequest(request);
                    handled++;
                    total++;
                }
            }
            finally
            {
                EndAllDeliveries();
            }
        }
        while (port.Switch == this && port.EnableNotifications());
        return true;
    }

    private void BeginAllDeliveries()
    {
        foreach (var p in _ports)
            p.BeginDeliveries();
        _monitor?.BeginDeliveries();
    }

    private void EndAllDeliveries()
    {
        foreach (var p in _ports)
            p.EndDeliveries();
        _monitor?.EndDeliveries();
    }

    /// <summary>handle_tx_request: VLAN rules, learning, unicast or flooding, the monitor copy.</summary>
    private void HandleRequest(SwitchPort port, in NetTransmit request)
    {
        if (port.Capture is { } capture)
        {
            var raw = request.CreateReader();
            capture.Write(ref raw);
        }
        // Trunk ports need a tag of one of their VLANs; access ports must not send tags (double tagging).
        if ((port.IsTrunk && !port.MatchVlan(request.VlanId)) || (port.IsAccess && request.HasVlanTag))
        {
            port.Statistics.TxDropped++;
            return;
        }
        var destination = request.Destination;
        var vlan = request.HasVlanTag ? request.VlanId : port.VlanId;
        MacTable.Learn(request.Source, port, vlan);
        if (!destination.IsBroadcast)
        {
            var target = MacTable.Lookup(destination, vlan);
            if (target is not null)
            {
                // Never back to the source: another switch behind it may not know the target.
                if (target != port)
                {
                    Deliver(target, port, request);
                    CopyToMonitor(port, request);
                }
                return;
            }
        }
        foreach (var target in _ports)
        {
            if (target != port && target.MatchVlan(vlan))
                Deliver(target, port, request);
        }
        CopyToMonitor(port, request);
    }

    private void CopyToMonitor(SwitchPort port, in NetTransmit request)
    {
        if (_monitor is null)
            return;
        if (MonitorFilter is { } filter && filter(request.CreateReader().FirstSegment()))
            return;
        Deliver(_monitor, port, request);
    }

    private static void Deliver(SwitchPort target, SwitchPort source, in NetTransmit request)
    {
        var mangle = target.MangleFrom(source);
        var frame = request.CreateReader().WithMangle(mangle);
        var length = frame.Length;
        var result = target.Deliver(source, ref frame, mangle.Rewrite(request.Header));
        if (result != DeliveryResult.Delivered)
        {
            target.Statistics.TxDropped++;
            return;
        }
        target.Statistics.TxNum++;
        target.Statistics.TxBytes += length;
        source.Statistics.RxNum++;
        source.Statistics.RxBytes += length;
        if (target.Capture is { } capture)
            CaptureDelivered(capture, request, mangle);
    }

    // Out of Deliver: the second reader would enlarge Deliver's stack frame, which is zeroed for every frame.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void CaptureDelivered(PcapWriter capture, in NetTransmit request, VlanMangle mangle)
    {
        var copy = request.CreateReader().WithMangle(mangle);
        capture.Write(ref copy);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "vlan options ignored on monitor port '{Port}'")]
    private static partial void LogVlanIgnoredOnMonitor(ILogger logger, string port);
}
