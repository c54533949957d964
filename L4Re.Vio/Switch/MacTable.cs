using L4Re.Vio.Devices.Net;

namespace L4Re.Vio.Switch;

/// <summary>
/// The switch's learning table (l4vio_switch's <c>Mac_table</c>, server/switch/mac_table.h): maps
/// (MAC, VLAN) to the port behind which the address was last seen. <see cref="Capacity"/> entries; when full,
/// a new address evicts the entry at the round-robin index; an address seen on another port moves there;
/// a removed port's entries are flushed.
/// </summary>
public sealed class MacTable
{
    /// <summary>The number of entries (l4vio: 1024).</summary>
    public const int Capacity = 1024;

    private readonly Dictionary<ulong, int> _index = new(Capacity);
    private readonly SwitchPort?[] _ports = new SwitchPort?[Capacity];
    private readonly ulong[] _keys = new ulong[Capacity];
    private int _roundRobin;

    /// <summary>The number of learned addresses.</summary>
    public int Count => _index.Count;

    private static ulong Key(MacAddress mac, ushort vlan) => mac.Value | ((ulong)vlan << 48);

    /// <summary>The port behind <paramref name="mac"/> in <paramref name="vlan"/>, or null if unknown.</summary>
    public SwitchPort? Lookup(MacAddress mac, ushort vlan) =>
        _index.TryGetValue(Key(mac, vlan), out var i) ? _ports[i] : null;

    /// <summary>
    /// Learns that <paramref name="mac"/> in <paramref name="vlan"/> is behind <paramref name="port"/>: updates a
    /// known entry (a host that moved), or takes the round-robin slot, evicting its previous address.
    /// </summary>
    public void Learn(MacAddress mac, SwitchPort port, ushort vlan)
    {
        var key = Key(mac, vlan);
        if (_index.TryGetValue(key, out var i))
        {
            if (_ports[i] != port)
                _ports[i] = port;
            return;
        }
        var slot = _roundRobin;
        if (_ports[slot] is not null)
            _index.Remove(_keys[slot]);
        _ports[slot] = port;
        _keys[slot] = key;
        _index[key] = slot;
        _roundRobin = (slot + 1) % Capacity;
    }

    /// <summary>Removes every entry that points to <paramref name="port"/>.</summary>
    public void Flush(SwitchPort port)
    {
        for (var i = 0; i < Capacity; i++)
        {
            if (_ports[i] == port)
            {
                _index.Remove(_keys[i]);
                _ports[i] = null;
                _keys[i] = 0;
            }
        }
    }
}
