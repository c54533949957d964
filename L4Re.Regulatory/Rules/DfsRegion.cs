namespace L4Re.Regulatory.Rules;

/// <summary>DFS regions of wireless-regdb (<c>enum nl80211_dfs_regions</c>).</summary>
public enum DfsRegion : byte
{
    /// <summary>No DFS region set.</summary>
    Unset = 0,
    /// <summary>FCC rules (<c>DFS-FCC</c>).</summary>
    Fcc = 1,
    /// <summary>ETSI rules (<c>DFS-ETSI</c>).</summary>
    Etsi = 2,
    /// <summary>Japanese rules (<c>DFS-JP</c>).</summary>
    Jp = 3,
}
