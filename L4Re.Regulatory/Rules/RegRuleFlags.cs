namespace L4Re.Regulatory.Rules;

/// <summary>Rule flags as stored in regulatory.db (the binary subset of db.txt's flags).</summary>
[Flags]
public enum RegRuleFlags : byte
{
    /// <summary>No flags.</summary>
    None = 0,
    /// <summary>OFDM modulations are not allowed (<c>NO-OFDM</c>).</summary>
    NoOfdm = 1,
    /// <summary>Outdoor operation is not allowed (<c>NO-OUTDOOR</c>).</summary>
    NoOutdoor = 2,
    /// <summary>DFS (radar detection) is required (<c>DFS</c>).</summary>
    Dfs = 4,
    /// <summary>No initiating radiation: no beaconing, no probing (<c>NO-IR</c>).</summary>
    NoIr = 8,
    /// <summary>Maximum bandwidth is the span of contiguous rules (<c>AUTO-BW</c>).</summary>
    AutoBw = 16,
}
