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
    // One-entry caches of the last learned and the last looked-up key: a stream of frames between the same
    // two hosts then needs no hash lookup. A cached slot is used only while it still holds the key.
    private int _learnSlot = -1;
    private int _lookupSlot = -1;

    /// <summary>The number of learned addresses.</summary>
    public int Count => _index.Count;

    /// <summary>The learned entries in table-slot order (for diagnostics: <c>l4re boot-pair</c> prints them).</summary>
    public IEnumerable<(MacAddress Mac, ushort Vlan, SwitchPort Port)> Entries
    {
        get
        {
            for (var i = 0; i < Capacity; i++)
            {
                if (_ports[i] is { } port)
                    yield return (new MacAddress(_keys[i] & 0xffff_ffff_ffffUL), (ushort)(_keys[i] >> 48), port);
            }
        }
    }

    private static ulong Key(MacAddress mac, ushort vlan) => mac.Value | ((ulong)vlan << 48);

    /// <summary>The port behind <paramref name="mac"/> in <paramref name="vlan"/>, or null if unknown.</summary>
    public SwitchPort? Lookup(MacAddress mac, ushort vlan)
    {
        var key = Key(mac, vlan);
        var cached = _lookupSlot;
        if (cached >= 0 && _keys[cached] == key && _ports[cached] is { } hit)
            return hit;
        if (!_index.TryGetValue(key, out var i))
            return null;
        _lookupSlot = i;
        return _ports[i];
    }

    /// <summary>
    /// Learns that <paramref name="mac"/> in <paramref name="vlan"/> is behind <paramref name="port"/>: updates a
    /// known entry (a host that moved), or takes the round-robin slot, evicting its previous address.
    /// </summary>
    public void Learn(MacAddress mac, SwitchPort port, ushort vlan)
    {
        var key = Key(mac, vlan);
        var cached = _learnSlot;
        if (cached >= 0 && _keys[cached] == key && _ports[cached] is { } known)
        {
            if (known != port)
                _ports[cached] = port;
            return;
        }
        if (_index.TryGetValue(key, out var i))
        {
            if (_ports[i] != port)
                _ports[i] = port;
            _learnSlot = i;
            return;
        }
        var slot = _roundRobin;
        if (_ports[slot] is not null)
            _index.Remove(_keys[slot]);
        _ports[slot] = port;
        _keys[slot] = key;
        _index[key] = slot;
        _learnSlot = slot;
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
