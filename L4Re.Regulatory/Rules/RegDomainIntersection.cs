namespace L4Re.Regulatory.Rules;

/// <summary>
/// cfg80211's <c>regdom_intersect()</c> (Linux 6.1 net/wireless/reg.c), rewritten: every pair of rules is
/// intersected (<c>reg_rules_intersect()</c>: overlapping range, the smaller of the AUTO-BW-expanded
/// bandwidths clipped to the range, flags ORed with AUTO-BW kept only when both have it, the smaller EIRP,
/// the larger CAC time, WMM limits combined), invalid results are dropped, and <c>add_rule()</c> skips a rule
/// an earlier one contains or lets it replace one it contains. The result is named <c>98</c>; its DFS region
/// is kept only when both agree.
/// </summary>
public static class RegDomainIntersection
{
    /// <summary>The intersection, or null when no rule survives.</summary>
    /// <exception cref="ArgumentException">The intersection has more than <see cref="RegDomain.MaxRules"/> rules.</exception>
    public static RegDomain? Intersect(RegDomain first, RegDomain second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        var rules = new List<RegRule>();
        for (var x = 0; x < first.Rules.Length; x++)
            for (var y = 0; y < second.Rules.Length; y++)
                if (IntersectRules(first, x, second, y) is { } r)
                    AddRule(rules, r);
        if (rules.Count == 0)
            return null;
        var dfs = first.DfsRegion == second.DfsRegion ? first.DfsRegion : DfsRegion.Unset;
        return new RegDomain("98", dfs, rules);
    }

    /// <summary><c>reg_rules_intersect()</c>; null when the result fails <c>is_valid_reg_rule()</c>.</summary>
    public static RegRule? IntersectRules(RegDomain rd1, int index1, RegDomain rd2, int index2)
    {
        ArgumentNullException.ThrowIfNull(rd1);
        ArgumentNullException.ThrowIfNull(rd2);
        var r1 = rd1.Rules[index1];
        var r2 = rd2.Rules[index2];
        var start = Math.Max(r1.StartKhz, r2.StartKhz);
        var end = Math.Min(r1.EndKhz, r2.EndKhz);
        var bw = Math.Min(Cfg80211.EffectiveMaxBandwidth(rd1, index1), Cfg80211.EffectiveMaxBandwidth(rd2, index2));
        var flags = r1.Flags | r2.Flags;
        if ((r1.Flags & r2.Flags & RegRuleFlags.AutoBw) == 0)
            flags &= ~RegRuleFlags.AutoBw;
        if (end <= start)
            return null;
        if (bw > end - start)
            bw = end - start;
        var rule = new RegRule(start, end, bw, Math.Min(r1.MaxEirpMbm, r2.MaxEirpMbm), flags,
            Math.Max(r1.CacTimeoutMs, r2.CacTimeoutMs), IntersectWmm(r1.Wmm, r2.Wmm));
        return rule.IsValid ? rule : null;
    }

    /// <summary><c>reg_wmm_rules_intersect()</c> per access category: larger windows and AIFSN, shorter COT.</summary>
    public static WmmRule? IntersectWmm(WmmRule? a, WmmRule? b)
    {
        if (a is null)
            return b;
        if (b is null)
            return a;
        var client = new WmmAc[WmmRule.AccessCategories];
        var ap = new WmmAc[WmmRule.AccessCategories];
        for (var i = 0; i < WmmRule.AccessCategories; i++)
        {
            client[i] = Combine(a.Client[i], b.Client[i]);
            ap[i] = Combine(a.Ap[i], b.Ap[i]);
        }
        return new WmmRule(client, ap);
    }

    private static WmmAc Combine(WmmAc a, WmmAc b) =>
        new(Math.Max(a.CwMin, b.CwMin), Math.Max(a.CwMax, b.CwMax), Math.Max(a.Aifsn, b.Aifsn), Math.Min(a.CotMilliseconds, b.CotMilliseconds));

    /// <summary><c>rule_contains()</c>: same flags, no more power, range and bandwidth at least as large.</summary>
    private static bool Contains(in RegRule r1, in RegRule r2) =>
        r1.Flags == r2.Flags && r1.MaxEirpMbm <= r2.MaxEirpMbm &&
        r1.StartKhz <= r2.StartKhz && r1.EndKhz >= r2.EndKhz && r1.MaxBandwidthKhz >= r2.MaxBandwidthKhz;

    private static void AddRule(List<RegRule> rules, RegRule rule)
    {
        for (var i = 0; i < rules.Count; i++)
        {
            if (Contains(rules[i], rule))
                return;
            if (Contains(rule, rules[i]))
            {
                rules[i] = rule;
                return;
            }
        }
        if (rules.Count >= RegDomain.MaxRules)
            throw new ArgumentException($"The intersection has more than {RegDomain.MaxRules} rules.");
        rules.Add(rule);
    }
}
