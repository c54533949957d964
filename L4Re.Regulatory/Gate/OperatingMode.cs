namespace L4Re.Regulatory.Gate;

/// <summary>Interface mode of a radio request (the nl80211 interface types that matter for regulation).</summary>
public enum OperatingMode : byte
{
    /// <summary>Station (client): follows an access point, does not initiate radiation.</summary>
    Station = 0,
    /// <summary>Access point (also P2P GO): beacons, initiates radiation.</summary>
    AccessPoint = 1,
    /// <summary>Mesh point: beacons, initiates radiation.</summary>
    Mesh = 2,
    /// <summary>IBSS (ad hoc): beacons, initiates radiation.</summary>
    Ibss = 3,
}

/// <summary>A set of <see cref="OperatingMode"/>s an interface supports.</summary>
[Flags]
public enum OperatingModes : byte
{
    /// <summary>None.</summary>
    None = 0,
    /// <summary><see cref="OperatingMode.Station"/>.</summary>
    Station = 1,
    /// <summary><see cref="OperatingMode.AccessPoint"/>.</summary>
    AccessPoint = 2,
    /// <summary><see cref="OperatingMode.Mesh"/>.</summary>
    Mesh = 4,
    /// <summary><see cref="OperatingMode.Ibss"/>.</summary>
    Ibss = 8,
    /// <summary>All modes.</summary>
    All = Station | AccessPoint | Mesh | Ibss,
}

/// <summary>Where the trusted side knows the radio is installed.</summary>
public enum InstallationEnvironment : byte
{
    /// <summary>Unknown: the request's indoor/outdoor claim is used.</summary>
    Unknown = 0,
    /// <summary>Indoors: a request may still declare outdoor use (which only narrows).</summary>
    Indoor = 1,
    /// <summary>Outdoors: every request is treated as outdoor, whatever it claims.</summary>
    Outdoor = 2,
}
