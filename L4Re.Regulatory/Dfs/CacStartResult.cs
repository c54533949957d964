namespace L4Re.Regulatory.Dfs;

/// <summary>Outcome of <see cref="DfsStateMachine.StartCac"/> (the checks of nl80211's start-radar-detection).</summary>
public enum CacStartResult : byte
{
    /// <summary>The CAC is running.</summary>
    Started = 0,
    /// <summary>No subchannel needs DFS (<c>cfg80211_chandef_dfs_required()</c> is 0).</summary>
    NotRequired,
    /// <summary>A subchannel is not a channel of the radio or is disabled.</summary>
    InvalidChannel,
    /// <summary>A radar subchannel is UNAVAILABLE (non-occupancy period).</summary>
    Unavailable,
    /// <summary>Every radar subchannel is already AVAILABLE.</summary>
    AlreadyAvailable,
    /// <summary>Another CAC is running (<c>-EBUSY</c>).</summary>
    Busy,
}
