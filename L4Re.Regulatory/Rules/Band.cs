namespace L4Re.Regulatory.Rules;

/// <summary>Frequency bands (<c>enum nl80211_band</c>, same values).</summary>
public enum Band : byte
{
    /// <summary>2.4 GHz ISM band.</summary>
    Band2GHz = 0,
    /// <summary>The 5 GHz bands (and 4.9 GHz public safety).</summary>
    Band5GHz = 1,
    /// <summary>The 60 GHz DMG band.</summary>
    Band60GHz = 2,
    /// <summary>The 6 GHz band.</summary>
    Band6GHz = 3,
    /// <summary>Sub-1 GHz (802.11ah).</summary>
    S1GHz = 4,
}
