namespace L4Re.Platform.BaikalT.Wifi;

/// <summary>The NIC's MODE register.</summary>
public enum NicMode : uint
{
    /// <summary>Station (client).</summary>
    Station = 0,
    /// <summary>Access point.</summary>
    AccessPoint = 1,
    /// <summary>Mesh point.</summary>
    Mesh = 2,
    /// <summary>IBSS (ad hoc).</summary>
    Ibss = 3,
    /// <summary>Monitor (receive only by convention; the NIC still transmits what it is given).</summary>
    Monitor = 4,
}
