namespace L4Re.Regulatory.Rules;

/// <summary>
/// cfg80211's rule evaluation (Linux 6.1 net/wireless/reg.c), rewritten as pure functions over a
/// <see cref="RegDomain"/>: <c>freq_reg_info()</c> with the bandwidth-fits test, <c>reg_get_max_bandwidth()</c>
/// for AUTO-BW, <c>reg_rule_to_chan_bw_flags()</c>, and <c>handle_channel()</c> with
/// <c>handle_channel_adjacent_rules()</c> for a channel that straddles two rules. No allocation.
/// </summary>
public static class Cfg80211
{
    /// <summary><c>IEEE80211_DFS_MIN_CAC_TIME_MS</c>.</summary>
    public const uint DefaultCacTimeMs = 60_000;

    /// <summary>Result code of <see cref="FreqRegInfo"/> when no rule is in the frequency's band (<c>-ERANGE</c>).</summary>
    public const int NotInBand = -34;

    /// <summary>Result code of <see cref="FreqRegInfo"/> when rules exist in the band but none fits (<c>-EINVAL</c>).</summary>
    public const int NoFit = -22;

    /// <summary>
    /// <c>cfg80211_does_bw_fit_range()</c>: whether [centre − bw/2, centre + bw/2] lies inside the rule's range.
    /// </summary>
    public static bool DoesBandwidthFit(uint startKhz, uint endKhz, uint centerKhz, uint bandwidthKhz)
    {
        long lo = (long)centerKhz - (bandwidthKhz / 2);
        long hi = (long)centerKhz + (bandwidthKhz / 2);
        return lo >= startKhz && hi <= endKhz;
    }

    /// <summary>
    /// <c>freq_in_rule_band()</c>: whether the rule is within 2 GHz of the frequency (20 GHz above 45 GHz),
    /// measured from either edge.
    /// </summary>
    public static bool FrequencyInRuleBand(in RegRule rule, uint frequencyKhz)
    {
        long limit = frequencyKhz > 45_000_000 ? 20_000_000 : 2_000_000;
        return Math.Abs((long)frequencyKhz - rule.StartKhz) <= limit || Math.Abs((long)frequencyKhz - rule.EndKhz) <= limit;
    }

    /// <summary>
    /// <c>freq_reg_info_regd()</c>: the first rule, in stored order, whose range holds the whole bandwidth around
    /// the centre. Returns the rule index, or <see cref="NotInBand"/> / <see cref="NoFit"/>.
    /// </summary>
    public static int FreqRegInfoRegd(RegDomain domain, uint centerKhz, uint bandwidthKhz)
    {
        ArgumentNullException.ThrowIfNull(domain);
        var rules = domain.Rules.AsSpan();
        var bandRuleFound = false;
        for (var i = 0; i < rules.Length; i++)
        {
            ref readonly var r = ref rules[i];
            if (!bandRuleFound)
                bandRuleFound = FrequencyInRuleBand(r, centerKhz);
            if (bandRuleFound && DoesBandwidthFit(r.StartKhz, r.EndKhz, centerKhz, bandwidthKhz))
                return i;
        }
        return bandRuleFound ? NoFit : NotInBand;
    }

    /// <summary>
    /// <c>freq_reg_info()</c>: tries 20, 16, 10, 8, 5, 4, 2, 1 MHz down to the minimum (1 MHz below 1 GHz, else 20 MHz)
    /// and returns the first rule found, or an error code.
    /// </summary>
    public static int FreqRegInfo(RegDomain domain, uint centerKhz)
    {
        ReadOnlySpan<uint> bws = [20, 16, 10, 8, 5, 4, 2, 1];
        var minBw = centerKhz < 1_000_000 ? 1000u : 20_000u;
        var result = NotInBand;
        foreach (var bw in bws)
        {
            var bwKhz = bw * 1000;
            if (bwKhz < minBw)
                break;
            result = FreqRegInfoRegd(domain, centerKhz, bwKhz);
            if (result >= 0)
                return result;
        }
        return result;
    }

    /// <summary>
    /// <c>reg_get_max_bandwidth()</c> for an AUTO-BW rule: the span of the rule together with every neighbour
    /// (in stored order) that touches or overlaps it, whatever their flags. Deviation: when rules are not sorted the
    /// kernel's walk can end below its start and its u32 subtraction wraps to a huge bandwidth; then the rule's own
    /// maximum bandwidth is used instead (compiled databases are always sorted, so this never applies to them).
    /// </summary>
    public static uint GetMaxBandwidth(RegDomain domain, int ruleIndex)
    {
        ArgumentNullException.ThrowIfNull(domain);
        var rules = domain.Rules.AsSpan();
        var startRange = rules[ruleIndex];
        for (var no = ruleIndex; no > 0;)
        {
            ref readonly var tmp = ref rules[--no];
            if (tmp.EndKhz < startRange.StartKhz)
                break;
            startRange = tmp;
        }
        var endRange = rules[ruleIndex];
        for (var no = ruleIndex; no < rules.Length - 1;)
        {
            ref readonly var tmp = ref rules[++no];
            if (tmp.StartKhz > endRange.EndKhz)
                break;
            endRange = tmp;
        }
        return endRange.EndKhz >= startRange.StartKhz ? endRange.EndKhz - startRange.StartKhz : rules[ruleIndex].MaxBandwidthKhz;
    }

    /// <summary>The maximum bandwidth cfg80211 uses for a rule: its own, or with AUTO-BW the contiguous span.</summary>
    public static uint EffectiveMaxBandwidth(RegDomain domain, int ruleIndex)
    {
        ArgumentNullException.ThrowIfNull(domain);
        var rule = domain.Rules[ruleIndex];
        return (rule.Flags & RegRuleFlags.AutoBw) != 0 ? GetMaxBandwidth(domain, ruleIndex) : rule.MaxBandwidthKhz;
    }

    /// <summary><c>map_regdom_flags()</c> for the binary rule flags.</summary>
    public static ChannelFlags MapRuleFlags(RegRuleFlags flags)
    {
        var c = ChannelFlags.None;
        if ((flags & RegRuleFlags.NoIr) != 0) c |= ChannelFlags.NoIr;
        if ((flags & RegRuleFlags.Dfs) != 0) c |= ChannelFlags.Radar;
        if ((flags & RegRuleFlags.NoOfdm) != 0) c |= ChannelFlags.NoOfdm;
        if ((flags & RegRuleFlags.NoOutdoor) != 0) c |= ChannelFlags.IndoorOnly;
        return c;
    }

    /// <summary><c>reg_rule_to_chan_bw_flags()</c> for a non-S1G channel.</summary>
    public static ChannelFlags BandwidthFlags(RegDomain domain, int ruleIndex, uint centerKhz, out uint maxBandwidthKhz)
    {
        ArgumentNullException.ThrowIfNull(domain);
        var rule = domain.Rules[ruleIndex];
        maxBandwidthKhz = EffectiveMaxBandwidth(domain, ruleIndex);
        var f = ChannelFlags.None;
        if (!DoesBandwidthFit(rule.StartKhz, rule.EndKhz, centerKhz, 10_000)) f |= ChannelFlags.No10Mhz;
        if (!DoesBandwidthFit(rule.StartKhz, rule.EndKhz, centerKhz, 20_000)) f |= ChannelFlags.No20Mhz;
        if (maxBandwidthKhz < 10_000) f |= ChannelFlags.No10Mhz;
        if (maxBandwidthKhz < 20_000) f |= ChannelFlags.No20Mhz;
        if (maxBandwidthKhz < 40_000) f |= ChannelFlags.NoHt40;
        if (maxBandwidthKhz < 80_000) f |= ChannelFlags.No80Mhz;
        if (maxBandwidthKhz < 160_000) f |= ChannelFlags.No160Mhz;
        if (maxBandwidthKhz < 320_000) f |= ChannelFlags.No320Mhz;
        return f;
    }

    /// <summary>
    /// <c>handle_channel()</c> for a channel centred at <paramref name="centerKhz"/>, as for a regulatory hint
    /// that is not a country IE and a driver without strict regulatory: the single rule found by
    /// <see cref="FreqRegInfo"/>; otherwise the rules at ±20 MHz when the first ends exactly where the second
    /// starts and the 20 MHz channel fits their union (flags ORed, powers and bandwidths the smaller, CAC the
    /// larger); otherwise disabled.
    /// </summary>
    public static ChannelRules EvaluateChannel(RegDomain domain, uint centerKhz)
    {
        ArgumentNullException.ThrowIfNull(domain);
        var index = FreqRegInfo(domain, centerKhz);
        if (index >= 0)
        {
            var rule = domain.Rules[index];
            var flags = BandwidthFlags(domain, index, centerKhz, out var maxBw) | MapRuleFlags(rule.Flags);
            var cac = (flags & ChannelFlags.Radar) != 0 ? (rule.CacTimeoutMs != 0 ? rule.CacTimeoutMs : DefaultCacTimeMs) : 0;
            return new ChannelRules(centerKhz, flags, rule.MaxEirpMbm / 100, rule.MaxEirpMbm, maxBw, cac, index, -1);
        }

        if (centerKhz < 20_000)
            return ChannelRules.DisabledAt(centerKhz);
        var i1 = FreqRegInfo(domain, centerKhz - 20_000);
        var i2 = FreqRegInfo(domain, centerKhz + 20_000);
        if (i1 < 0 || i2 < 0)
            return ChannelRules.DisabledAt(centerKhz);
        var r1 = domain.Rules[i1];
        var r2 = domain.Rules[i2];
        if (r1.EndKhz != r2.StartKhz)
            return ChannelRules.DisabledAt(centerKhz);
        // comb_range: r1.start .. r2.end; the 20 MHz channel must fit it.
        if (!DoesBandwidthFit(r1.StartKhz, r2.EndKhz, centerKhz, 20_000))
            return ChannelRules.DisabledAt(centerKhz);

        var f = BandwidthFlags(domain, i1, centerKhz, out var bw1) | BandwidthFlags(domain, i2, centerKhz, out var bw2) |
                MapRuleFlags(r1.Flags) | MapRuleFlags(r2.Flags);
        // reg_rule_to_chan_bw_flags() forbids 10 and 20 MHz on each rule alone; recheck on the combined range.
        if (DoesBandwidthFit(r1.StartKhz, r2.EndKhz, centerKhz, 10_000)) f &= ~ChannelFlags.No10Mhz;
        if (DoesBandwidthFit(r1.StartKhz, r2.EndKhz, centerKhz, 20_000)) f &= ~ChannelFlags.No20Mhz;
        // The per-rule maximum-bandwidth flags still apply (they were ORed above), so re-add them.
        f |= WidthFlags(Math.Min(bw1, bw2));
        var power = Math.Min(r1.MaxEirpMbm / 100, r2.MaxEirpMbm / 100);
        uint cacMs = 0;
        if ((f & ChannelFlags.Radar) != 0)
            cacMs = r1.CacTimeoutMs != 0 || r2.CacTimeoutMs != 0 ? Math.Max(r1.CacTimeoutMs, r2.CacTimeoutMs) : DefaultCacTimeMs;
        return new ChannelRules(centerKhz, f, power, Math.Min(r1.MaxEirpMbm, r2.MaxEirpMbm), Math.Min(bw1, bw2), cacMs, i1, i2);
    }

    private static ChannelFlags WidthFlags(uint maxBandwidthKhz)
    {
        var f = ChannelFlags.None;
        if (maxBandwidthKhz < 10_000) f |= ChannelFlags.No10Mhz;
        if (maxBandwidthKhz < 20_000) f |= ChannelFlags.No20Mhz;
        if (maxBandwidthKhz < 40_000) f |= ChannelFlags.NoHt40;
        if (maxBandwidthKhz < 80_000) f |= ChannelFlags.No80Mhz;
        if (maxBandwidthKhz < 160_000) f |= ChannelFlags.No160Mhz;
        if (maxBandwidthKhz < 320_000) f |= ChannelFlags.No320Mhz;
        return f;
    }
}
