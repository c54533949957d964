namespace L4Re.Vio.Switch;

/// <summary>VLAN identifiers as l4vio_switch uses them (server/switch/vlan.h).</summary>
public static class VlanIds
{
    /// <summary>Pseudo ID of native ports (no VLAN configured): <c>VLAN_ID_NATIVE</c> = 0xffff.</summary>
    public const ushort Native = 0xffff;

    /// <summary>Pseudo ID of trunk (and monitor) ports: <c>VLAN_ID_TRUNK</c> = 0xfffe.</summary>
    public const ushort Trunk = 0xfffe;

    /// <summary>Whether <paramref name="id"/> is a valid IEEE 802.1Q VLAN ID for a port: 1..4094 (<c>vlan_valid_id</c>).</summary>
    public static bool IsValid(int id) => id is > 0 and < 0xfff;
}
