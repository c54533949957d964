using L4Re.Regulatory.Gate;
using L4Re.Regulatory.Rules;

namespace L4Re.Regulatory.Tests;

/// <summary>
/// An independent, deliberately simple statement of the rules a decision must respect, written from the
/// reference text (not from the library): for each 20 MHz subchannel, the first rule in stored order that holds
/// it, or else the first rules holding the 20 MHz neighbours when they touch exactly; the bandwidth a rule allows
/// (AUTO-BW: the span of the touching rules around it); flags; the smallest EIRP.
/// </summary>
internal static class RuleOracle
{
    public sealed record Verdict(bool Allowed, int EirpLimitMbm, int MinRawEirpMbm, bool AnyDfs, bool AnyNoIr);

    private static int FirstHolding(RegDomain d, long lo, long hi)
    {
        for (var i = 0; i < d.Rules.Length; i++)
            if (d.Rules[i].StartKhz <= lo && hi <= d.Rules[i].EndKhz)
                return i;
        return -1;
    }

    private static long AllowedBandwidth(RegDomain d, int i)
    {
        var r = d.Rules[i];
        if ((r.Flags & RegRuleFlags.AutoBw) == 0)
            return r.MaxBandwidthKhz;
        long start = r.StartKhz, end = r.EndKhz;
        for (var j = i - 1; j >= 0 && d.Rules[j].EndKhz >= start; j--)
            start = d.Rules[j].StartKhz;
        for (var j = i + 1; j < d.Rules.Length && d.Rules[j].StartKhz <= end; j++)
            end = d.Rules[j].EndKhz;
        // Unsorted rules can make the kernel's walk end below its start (a wrapped u32); the rule's own bandwidth applies then.
        return end >= start ? end - start : r.MaxBandwidthKhz;
    }

    /// <summary>The rules covering the 20 MHz channel at <paramref name="c"/>, or empty if it is not allowed.</summary>
    public static int[] Covering(RegDomain d, long c)
    {
        var single = FirstHolding(d, c - 10_000, c + 10_000);
        if (single >= 0)
            return [single];
        var below = FirstHolding(d, c - 30_000, c - 10_000);
        var above = FirstHolding(d, c + 10_000, c + 30_000);
        if (below < 0 || above < 0 || d.Rules[below].EndKhz != d.Rules[above].StartKhz)
            return [];
        if (d.Rules[below].StartKhz > c - 10_000 || d.Rules[above].EndKhz < c + 10_000)
            return [];
        return [below, above];
    }

    /// <summary>
    /// Whether the rules allow <paramref name="chandef"/> for a request; DFS state is given by <paramref name="dfsAvailable"/>
    /// (CAC done, no radar) and <paramref name="radar"/> (radar seen).
    /// </summary>
    public static Verdict Judge(RegDomain d, ChannelDefinition chandef, OperatingMode mode, bool outdoor, bool dfsAvailable, bool radar,
        NoIrAfterCacPolicy policy)
    {
        var initiating = mode != OperatingMode.Station;
        var limitDbm = int.MaxValue;
        var minRaw = int.MaxValue;
        bool anyDfs = false, anyNoIr = false, ok = true;
        for (var s = 0; s < chandef.SubchannelCount; s++)
        {
            var cover = Covering(d, chandef.SubchannelKhz(s));
            if (cover.Length == 0)
                return new Verdict(false, 0, 0, false, false);
            foreach (var i in cover)
            {
                var r = d.Rules[i];
                if (AllowedBandwidth(d, i) < Math.Max(20_000, chandef.WidthMhz * 1000L))
                    ok = false;
                if ((r.Flags & RegRuleFlags.NoOfdm) != 0 && chandef.WidthMhz > 20)
                    ok = false;
                if ((r.Flags & RegRuleFlags.NoOutdoor) != 0 && outdoor)
                    ok = false;
                anyDfs |= (r.Flags & RegRuleFlags.Dfs) != 0;
                anyNoIr |= (r.Flags & RegRuleFlags.NoIr) != 0;
                limitDbm = Math.Min(limitDbm, r.MaxEirpMbm / 100);
                minRaw = Math.Min(minRaw, r.MaxEirpMbm);
            }
        }
        if (anyDfs && radar)
            ok = false;
        if (initiating && anyDfs && !dfsAvailable)
            ok = false;
        if (initiating && anyNoIr && !(policy == NoIrAfterCacPolicy.Cfg80211Waiver && anyDfs && dfsAvailable))
            ok = false;
        return new Verdict(ok, limitDbm * 100, minRaw, anyDfs, anyNoIr);
    }
}
