namespace L4Re.Vio.Switch;

/// <summary>The VLAN role of a switch port.</summary>
public enum PortVlanMode
{
    /// <summary>No VLAN configured: frames pass untagged among native ports.</summary>
    Native,
    /// <summary><c>vlan=access=ID</c>: untagged frames that belong to one VLAN.</summary>
    Access,
    /// <summary><c>vlan=trunk=ID,…</c> or <c>vlan=trunk=all</c>: tagged frames of several VLANs.</summary>
    Trunk,
    /// <summary>The monitor port: sees everything, tagged by VLAN when the source was an access port.</summary>
    Monitor,
}
