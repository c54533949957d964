namespace L4Re.Regulatory.Rules;

/// <summary>
/// Channel flags cfg80211 derives from the rules (<c>enum ieee80211_channel_flags</c> of Linux 6.1, same bits;
/// only the ones regulatory evaluation sets).
/// </summary>
[Flags]
public enum ChannelFlags : uint
{
    /// <summary>No flags.</summary>
    None = 0,
    /// <summary><c>IEEE80211_CHAN_DISABLED</c>: no rule allows the channel.</summary>
    Disabled = 1 << 0,
    /// <summary><c>IEEE80211_CHAN_NO_IR</c>: no initiating radiation (from NO-IR).</summary>
    NoIr = 1 << 1,
    /// <summary><c>IEEE80211_CHAN_RADAR</c>: radar detection required (from DFS).</summary>
    Radar = 1 << 3,
    /// <summary><c>IEEE80211_CHAN_NO_HT40PLUS</c>.</summary>
    NoHt40Plus = 1 << 4,
    /// <summary><c>IEEE80211_CHAN_NO_HT40MINUS</c>.</summary>
    NoHt40Minus = 1 << 5,
    /// <summary><c>IEEE80211_CHAN_NO_OFDM</c> (from NO-OFDM).</summary>
    NoOfdm = 1 << 6,
    /// <summary><c>IEEE80211_CHAN_NO_80MHZ</c>.</summary>
    No80Mhz = 1 << 7,
    /// <summary><c>IEEE80211_CHAN_NO_160MHZ</c>.</summary>
    No160Mhz = 1 << 8,
    /// <summary><c>IEEE80211_CHAN_INDOOR_ONLY</c> (from NO-OUTDOOR).</summary>
    IndoorOnly = 1 << 9,
    /// <summary><c>IEEE80211_CHAN_NO_20MHZ</c>.</summary>
    No20Mhz = 1 << 11,
    /// <summary><c>IEEE80211_CHAN_NO_10MHZ</c>.</summary>
    No10Mhz = 1 << 12,
    /// <summary><c>IEEE80211_CHAN_NO_320MHZ</c>.</summary>
    No320Mhz = 1 << 19,
    /// <summary><c>IEEE80211_CHAN_NO_HT40</c>: both HT40 directions.</summary>
    NoHt40 = NoHt40Plus | NoHt40Minus,
}
