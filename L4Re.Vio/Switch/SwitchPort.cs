using L4Re.Vio.Capture;
using L4Re.Vio.Devices.Net;

namespace L4Re.Vio.Switch;

/// <summary>
/// A port of the <see cref="VirtualSwitch"/> (l4vio_switch's <c>Port_iface</c>): a name, a MAC address, its
/// VLAN role, statistics, and the two directions — frames its client sends (taken by the switch) and frames
/// the switch delivers to it. Ports are created by the switch: <see cref="VirtioNetPort"/> (a guest's
/// virtio-net device), <see cref="HostPort"/> (.NET code over pipes), <see cref="PcapPort"/> (a capture file).
/// </summary>
public abstract class SwitchPort
{
    private readonly ulong[] _trunk = new ulong[64];
    private ushort _vlanId = VlanIds.Native;
    private bool _vlanAll;

    /// <summary>Creates a port.</summary>
    protected SwitchPort(string name, MacAddress mac)
    {
        ArgumentNullException.ThrowIfNull(name);
        Name = name;
        Mac = mac;
    }

    /// <summary>The port's name (for diagnostics and statistics).</summary>
    public string Name { get; }

    /// <summary>The port's MAC address (unknown when none was set).</summary>
    public MacAddress Mac { get; }

    /// <summary>The switch the port belongs to (null after removal).</summary>
    public VirtualSwitch? Switch { get; internal set; }

    /// <summary>The port's counters.</summary>
    public PortStatistics Statistics { get; } = new();

    /// <summary>Whether this is the switch's monitor port.</summary>
    public bool IsMonitor { get; private set; }

    /// <summary>A capture of every frame the port's client sends and receives (null: none).</summary>
    public PcapWriter? Capture { get; set; }

    /// <summary>The VLAN role.</summary>
    public PortVlanMode VlanMode => IsMonitor ? PortVlanMode.Monitor
        : _vlanId == VlanIds.Native ? PortVlanMode.Native
        : _vlanId == VlanIds.Trunk ? PortVlanMode.Trunk
        : PortVlanMode.Access;

    /// <summary>The VLAN ID of an access port; <see cref="VlanIds.Native"/> or <see cref="VlanIds.Trunk"/> otherwise (<c>get_vlan</c>).</summary>
    public ushort VlanId => _vlanId;

    /// <summary>Whether a trunk port carries all VLANs (<c>vlan=trunk=all</c>).</summary>
    public bool TrunkAll => _vlanAll;

    /// <summary>The VLANs of a trunk port (empty for other ports and for <c>trunk=all</c>).</summary>
    public IReadOnlyList<ushort> TrunkVlans
    {
        get
        {
            var list = new List<ushort>();
            for (var id = 1; id < 0xfff; id++)
            {
                if ((_trunk[id >> 6] & (1UL << (id & 63))) != 0)
                    list.Add((ushort)id);
            }
            return list;
        }
    }

    internal bool IsTrunk => _vlanId == VlanIds.Trunk;

    internal bool IsNative => _vlanId == VlanIds.Native;

    internal bool IsAccess => !IsTrunk && !IsNative;

    internal bool Queued { get; set; }

    internal void ConfigureVlan(PortOptions options)
    {
        if (options.VlanAccess is { } access)
        {
            _vlanId = access;
        }
        else if (options.VlanTrunkAll)
        {
            _vlanId = VlanIds.Trunk;
            _vlanAll = true;
        }
        else if (options.VlanTrunk.Count > 0)
        {
            _vlanId = VlanIds.Trunk;
            foreach (var id in options.VlanTrunk)
                _trunk[id >> 6] |= 1UL << (id & 63);
        }
    }

    /// <summary>Makes the port the monitor (<c>set_monitor</c>: a trunk port that matches no VLAN for flooding).</summary>
    internal void SetMonitor()
    {
        IsMonitor = true;
        _vlanId = VlanIds.Trunk;
        Array.Clear(_trunk);
        _vlanAll = false;
    }

    /// <summary>Whether frames of VLAN <paramref name="id"/> (or <see cref="VlanIds.Native"/>) are switched on this port (<c>match_vlan</c>).</summary>
    public bool MatchVlan(ushort id)
    {
        if (id == _vlanId || _vlanAll)
            return true;
        return id < 0x1000 && (_trunk[id >> 6] & (1UL << (id & 63))) != 0;
    }

    /// <summary>
    /// How frames from <paramref name="source"/> are rewritten for this port (<c>create_vlan_mangle</c>): a
    /// trunk (or monitor) port gets a tag added to frames of access ports; other ports get the tag removed
    /// from frames of trunk ports.
    /// </summary>
    public VlanMangle MangleFrom(SwitchPort source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (IsTrunk)
            return source.IsAccess ? VlanMangle.Add(source._vlanId) : VlanMangle.None;
        return source.IsTrunk ? VlanMangle.Remove : VlanMangle.None;
    }

    /// <summary>Delivers a frame to the port's client.</summary>
    internal abstract DeliveryResult Deliver(SwitchPort source, ref FrameReader frame, NetHeader header);

    /// <summary>Takes the next frame the port's client sent; false when there is none.</summary>
    internal abstract bool TryTakeRequest(out NetTransmit request);

    /// <summary>Releases a frame taken with <see cref="TryTakeRequest"/>.</summary>
    internal abstract void CompleteRequest(in NetTransmit request);

    /// <summary>Suppresses the client's notifications while the switch works on the port.</summary>
    internal virtual void DisableNotifications()
    {
    }

    /// <summary>Enables notifications again; true if the client has sent more meanwhile.</summary>
    internal virtual bool EnableNotifications() => false;

    /// <summary>Starts a batch of deliveries: notifications to the client are collected (<c>rx_notify_disable_and_remember</c>).</summary>
    internal virtual void BeginDeliveries()
    {
    }

    /// <summary>Ends a batch: one notification for everything delivered (<c>rx_notify_emit_and_enable</c>).</summary>
    internal virtual void EndDeliveries()
    {
    }

    /// <summary>Drops everything the client sends (a monitor port is receive-only).</summary>
    internal virtual void DropTransmits()
    {
        while (TryTakeRequest(out var request))
            CompleteRequest(request);
    }

    /// <summary>The port was removed from its switch.</summary>
    internal virtual void OnRemoved()
    {
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({VlanMode}{(Mac.IsUnknown ? "" : ", " + Mac)})";
}
