namespace L4Re.Regulatory.Dfs;

/// <summary>DFS state of a radar channel (<c>enum nl80211_dfs_state</c>, same values).</summary>
public enum DfsState : byte
{
    /// <summary><c>NL80211_DFS_USABLE</c>: a CAC is needed before initiating radiation.</summary>
    Usable = 0,
    /// <summary><c>NL80211_DFS_UNAVAILABLE</c>: radar was detected; blocked for the non-occupancy period.</summary>
    Unavailable = 1,
    /// <summary><c>NL80211_DFS_AVAILABLE</c>: the CAC passed.</summary>
    Available = 2,
}

/// <summary>What happened in a <see cref="DfsEvent"/> (<c>enum nl80211_radar_event</c> where it has a counterpart).</summary>
public enum DfsEventKind : byte
{
    /// <summary><c>NL80211_RADAR_DETECTED</c>: radar seen, channels UNAVAILABLE.</summary>
    RadarDetected = 0,
    /// <summary><c>NL80211_RADAR_CAC_FINISHED</c>: CAC passed, channels AVAILABLE.</summary>
    CacFinished = 1,
    /// <summary><c>NL80211_RADAR_CAC_ABORTED</c>.</summary>
    CacAborted = 2,
    /// <summary><c>NL80211_RADAR_NOP_FINISHED</c>: the 30-minute non-occupancy period is over, channel USABLE.</summary>
    NopFinished = 3,
    /// <summary><c>NL80211_RADAR_PRE_CAC_EXPIRED</c>: an unused AVAILABLE channel fell back to USABLE (outside ETSI).</summary>
    PreCacExpired = 4,
    /// <summary><c>NL80211_RADAR_CAC_STARTED</c>.</summary>
    CacStarted = 5,
    /// <summary>All channels reset to USABLE because the regulatory domain changed.</summary>
    DomainReset = 6,
}

/// <summary>A DFS transition of one 20 MHz channel (or of a CAC) at a virtual time.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="ChannelKhz">Centre of the affected 20 MHz channel (the CAC's control channel for CAC events).</param>
/// <param name="At">Virtual time of the transition.</param>
public readonly record struct DfsEvent(DfsEventKind Kind, uint ChannelKhz, TimeSpan At);

/// <summary>The DFS timing constants.</summary>
public static class DfsTimes
{
    /// <summary>Channel availability check (<c>IEEE80211_DFS_MIN_CAC_TIME_MS</c>, FCC §15.407 and ETSI EN 301 893).</summary>
    public static readonly TimeSpan Cac = TimeSpan.FromSeconds(60);

    /// <summary>CAC on the ETSI weather-radar channels 5600–5650 MHz (EN 301 893; not stored in regulatory.db).</summary>
    public static readonly TimeSpan WeatherRadarCac = TimeSpan.FromMinutes(10);

    /// <summary>Non-occupancy period after radar (<c>IEEE80211_DFS_MIN_NOP_TIME_MS</c>).</summary>
    public static readonly TimeSpan NonOccupancy = TimeSpan.FromMinutes(30);

    /// <summary>Time allowed to leave a channel after radar (channel move time).</summary>
    public static readonly TimeSpan ChannelMoveTime = TimeSpan.FromSeconds(10);

    /// <summary><c>REG_PRE_CAC_EXPIRY_GRACE_MS</c>: outside ETSI an AVAILABLE channel not in use falls back to USABLE after this.</summary>
    public static readonly TimeSpan PreCacExpiryGrace = TimeSpan.FromSeconds(2);

    /// <summary>Start of the ETSI weather-radar band in kHz.</summary>
    public const uint WeatherRadarStartKhz = 5_600_000;

    /// <summary>End of the ETSI weather-radar band in kHz.</summary>
    public const uint WeatherRadarEndKhz = 5_650_000;
}
