using FsCheck;
using FsCheck.Fluent;
using L4Re.Regulatory.Gate;
using L4Re.Regulatory.Rules;

namespace L4Re.Regulatory.Tests;

/// <summary>FsCheck generators for domains, requests and DFS histories.</summary>
internal static class Generators
{
    private static readonly uint[] Channels = InterfaceCapabilities.Unrestricted().ChannelsKhz.ToArray();
    private static readonly int[] Bandwidths = [5, 10, 20, 40, 80, 160, 320];

    /// <summary>A rule on the 5 MHz grid between 2.4 and 7.2 GHz, 10-400 MHz wide.</summary>
    public static Gen<RegRule> Rule =>
        from start in Gen.Choose(480, 1420)
        from width in Gen.Choose(2, 80)
        from bw in Gen.Elements(Bandwidths)
        from eirp in Gen.Choose(0, 3600)
        from flags in Gen.Choose(0, 31)
        select new RegRule((uint)start * 5000, (uint)(start + width) * 5000, (uint)Math.Min(bw * 1000, width * 5000), eirp, (RegRuleFlags)flags);

    /// <summary>A domain of 1-6 random rules, sorted or in random order, possibly overlapping.</summary>
    public static Gen<RegDomain> RandomDomain =>
        from rules in Gen.ListOf(Rule).Where(l => l.Count is >= 1 and <= 6)
        from sorted in Gen.Elements(true, false)
        from dfs in Gen.Choose(0, 3)
        select new RegDomain("ZZ", (DfsRegion)dfs, sorted ? rules.OrderBy(r => r.StartKhz).ToArray() : rules.ToArray());

    /// <summary>A domain of sorted, non-overlapping rules (touching or with gaps), like a country of db.txt.</summary>
    public static Gen<RegDomain> DisjointDomain =>
        from count in Gen.Choose(1, 6)
        from start in Gen.Choose(480, 1100)
        from pieces in Gen.ArrayOf(Gen.Zip(Gen.Zip(Gen.Elements(0, 0, 1, 4, 10), Gen.Choose(2, 60)),
                                           Gen.Zip(Gen.Zip(Gen.Elements(Bandwidths), Gen.Choose(0, 3600)), Gen.Choose(0, 31))), count)
        from dfs in Gen.Choose(0, 3)
        select Disjoint(start, pieces, (DfsRegion)dfs);

    private static RegDomain Disjoint(int start, ((int Gap, int Width), ((int Bw, int Eirp), int Flags))[] pieces, DfsRegion dfs)
    {
        var rules = new List<RegRule>();
        var at = start;
        foreach (var ((gap, width), ((bw, eirp), flags)) in pieces)
        {
            at += gap;
            rules.Add(new RegRule((uint)at * 5000, (uint)(at + width) * 5000, (uint)Math.Min(bw * 1000, width * 5000), eirp, (RegRuleFlags)flags));
            at += width;
        }
        return new RegDomain("YY", dfs, rules);
    }

    /// <summary>
    /// A sorted, non-overlapping variant of a sorted, non-overlapping <paramref name="d"/>: each rule shrunk by up to 15 MHz
    /// at either end (kept when it would vanish), with new power, flags and bandwidth.
    /// </summary>
    public static Gen<RegDomain> Variant(RegDomain d) =>
        from jitter in Gen.ArrayOf(Gen.Zip(Gen.Zip(Gen.Choose(0, 3), Gen.Choose(0, 3)), Gen.Zip(Gen.Zip(Gen.Elements(Bandwidths), Gen.Choose(0, 3600)), Gen.Choose(0, 31))), d.Rules.Length)
        from dfs in Gen.Choose(0, 3)
        select new RegDomain("XX", (DfsRegion)dfs, d.Rules.Select((r, i) =>
        {
            var ((lo, hi), ((bw, eirp), flags)) = jitter[i];
            var start = r.StartKhz + ((uint)lo * 5000);
            var end = r.EndKhz - ((uint)hi * 5000);
            if (end <= start)
                (start, end) = (r.StartKhz, r.EndKhz);
            return new RegRule(start, end, Math.Min((uint)bw * 1000, end - start), eirp, (RegRuleFlags)flags);
        }));

    /// <summary>Countries of the shared db.txt except the world domain (whose rules overlap).</summary>
    public static readonly RegDomain[] SortedCountries = TestDomains.Shared.Countries.Where(c => !c.IsWorld).ToArray();

    /// <summary>Two sorted, non-overlapping domains that share much of their spectrum.</summary>
    public static Gen<(RegDomain A, RegDomain B)> DomainPair =>
        from a in Gen.Frequency((2, Gen.Elements(SortedCountries)), (1, DisjointDomain))
        from b in Gen.Frequency((2, Gen.Elements(SortedCountries)), (3, Variant(a)), (1, DisjointDomain))
        select (a, b);

    /// <summary>A real country of the shared db.txt, or a random domain.</summary>
    public static Gen<RegDomain> AnyDomain =>
        Gen.Frequency((2, Gen.Elements(TestDomains.Shared.Countries.ToArray())), (2, RandomDomain), (1, DisjointDomain));

    /// <summary>A request on a radio channel (sometimes an arbitrary frequency), any width, power, gain, mode.</summary>
    public static Gen<RadioRequest> Request => RequestOn(Gen.Frequency((9, Gen.Elements(Channels)), (1, Gen.Choose(480, 1440).Select(f => (uint)f * 5000))));

    /// <summary>A request that mostly uses channels <paramref name="domain"/> enables.</summary>
    public static Gen<RadioRequest> RequestFor(RegDomain domain)
    {
        var enabled = Channels.Where(c => Cfg80211.EvaluateChannel(domain, c).IsUsable20Mhz).ToArray();
        return enabled.Length == 0 ? Request : Gen.Frequency((4, RequestOn(Gen.Elements(enabled))), (1, Request));
    }

    private static Gen<RadioRequest> RequestOn(Gen<uint> controls) =>
        from control in controls
        from width in Gen.Frequency((10, Gen.Elements(20, 20, 40, 80, 160)), (1, Gen.Elements(0, 30, 320)))
        from power in Gen.Choose(-500, 4000)
        from gain in Gen.Choose(-200, 1000)
        from mode in Gen.Choose(0, 3)
        from outdoor in Gen.Elements(false, false, true)
        select new RadioRequest
        {
            FrequencyKhz = control, WidthMhz = width, TxPowerMbm = power, AntennaGainMbi = gain, Mode = (OperatingMode)mode, Outdoor = outdoor,
        };

    /// <summary>What happened on the request's channel before the request: nothing, a CAC, radar (with or without a CAC before).</summary>
    public enum History { None, Cac, Radar, CacThenRadar }

    public static Gen<History> Histories => Gen.Elements(History.None, History.Cac, History.Cac, History.Radar, History.CacThenRadar);

    public static Gen<NoIrAfterCacPolicy> Policies => Gen.Elements(NoIrAfterCacPolicy.Strict, NoIrAfterCacPolicy.Cfg80211Waiver);
}
