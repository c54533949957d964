namespace L4Re.Regulatory.Rules;

/// <summary>
/// What cfg80211's <c>handle_channel()</c> sets on one 20 MHz channel for a regulatory domain: flags,
/// <c>max_reg_power</c> (dBm, the rule's mBm truncated), the CAC time, and the rule(s) it came from.
/// </summary>
public readonly struct ChannelRules
{
    /// <summary>Creates the result.</summary>
    public ChannelRules(uint centerKhz, ChannelFlags flags, int maxRegPowerDbm, int maxEirpMbm, uint maxBandwidthKhz,
        uint cacTimeMs, int ruleIndex, int secondRuleIndex)
    {
        CenterKhz = centerKhz;
        Flags = flags;
        MaxRegPowerDbm = maxRegPowerDbm;
        MaxEirpMbm = maxEirpMbm;
        MaxBandwidthKhz = maxBandwidthKhz;
        CacTimeMs = cacTimeMs;
        RuleIndex = ruleIndex;
        SecondRuleIndex = secondRuleIndex;
    }

    /// <summary>A disabled channel.</summary>
    public static ChannelRules DisabledAt(uint centerKhz) => new(centerKhz, ChannelFlags.Disabled, 0, 0, 0, 0, -1, -1);

    /// <summary>The centre frequency in kHz.</summary>
    public uint CenterKhz { get; }

    /// <summary>The channel flags.</summary>
    public ChannelFlags Flags { get; }

    /// <summary><c>chan-&gt;max_reg_power</c>: <c>MBM_TO_DBM(max_eirp)</c>, truncated; the minimum of both rules for a straddling channel.</summary>
    public int MaxRegPowerDbm { get; }

    /// <summary>The smallest raw EIRP in mBm of the rule(s) covering the channel (before truncation).</summary>
    public int MaxEirpMbm { get; }

    /// <summary>The maximum bandwidth in kHz the bandwidth flags were computed from (AUTO-BW expanded; the smaller one for two rules).</summary>
    public uint MaxBandwidthKhz { get; }

    /// <summary><c>chan-&gt;dfs_cac_ms</c> for a radar channel (0 otherwise).</summary>
    public uint CacTimeMs { get; }

    /// <summary>Index of the rule (the lower one for a straddling channel), or -1 when disabled.</summary>
    public int RuleIndex { get; }

    /// <summary>Index of the upper rule for a channel straddling two adjacent rules, else -1.</summary>
    public int SecondRuleIndex { get; }

    /// <summary>Whether cfg80211 enables the channel.</summary>
    public bool IsEnabled => (Flags & ChannelFlags.Disabled) == 0;

    /// <summary>Whether the channel is usable as a 20 MHz channel (enabled and 20 MHz fits).</summary>
    public bool IsUsable20Mhz => (Flags & (ChannelFlags.Disabled | ChannelFlags.No20Mhz)) == 0;

    /// <summary>
    /// The widest channel width (20, 40, 80, 160, 320 MHz) the bandwidth flags allow this channel to be part
    /// of; 0 when the channel is not usable at 20 MHz.
    /// </summary>
    public int MaxWidthMhz =>
        !IsUsable20Mhz ? 0 :
        (Flags & ChannelFlags.NoHt40) == ChannelFlags.NoHt40 ? 20 :
        (Flags & ChannelFlags.No80Mhz) != 0 ? 40 :
        (Flags & ChannelFlags.No160Mhz) != 0 ? 80 :
        (Flags & ChannelFlags.No320Mhz) != 0 ? 160 : 320;

    /// <summary>Whether the flags allow a channel of <paramref name="widthMhz"/> (20/40/80/160/320) to include this one.</summary>
    public bool AllowsWidth(int widthMhz) => widthMhz <= MaxWidthMhz;
}
