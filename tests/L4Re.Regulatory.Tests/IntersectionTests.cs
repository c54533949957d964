using L4Re.Regulatory.Rules;

namespace L4Re.Regulatory.Tests;

public class IntersectionTests
{
    [Test]
    public void US_and_DE_intersect_to_the_common_ranges_lower_power_and_unset_DFS_region()
    {
        var i = RegDomainIntersection.Intersect(TestDomains.Country("US"), TestDomains.Country("DE"))!;
        Assert.That(i.Alpha2, Is.EqualTo("98"));
        Assert.That(i.DfsRegion, Is.EqualTo(DfsRegion.Unset));
        var low = i.Rules.Single(r => r.StartKhz == 2_400_000);
        Assert.That(low.EndKhz, Is.EqualTo(2_472_000u));
        Assert.That(low.MaxEirpMbm, Is.EqualTo(2000));
        // US (5250-5350 @ 80, 24 dBm, DFS, AUTO-BW: 200 MHz span) with DE (5250-5350 @ 80, 100 mW, NO-OUTDOOR, DFS, AUTO-BW).
        var mid = i.Rules.Single(r => r.StartKhz == 5_250_000 && r.EndKhz == 5_350_000);
        Assert.That(mid.MaxEirpMbm, Is.EqualTo(2000));
        Assert.That(mid.Flags, Is.EqualTo(RegRuleFlags.Dfs | RegRuleFlags.NoOutdoor | RegRuleFlags.AutoBw));
        Assert.That(mid.MaxBandwidthKhz, Is.EqualTo(100_000u), "min of the 200 MHz spans, clipped to the 100 MHz range");
        // US 5470-5730 @160 (no AUTO-BW) with DE 5470-5725 -> AUTO-BW dropped.
        var dfs = i.Rules.Single(r => r.StartKhz == 5_470_000 && r.EndKhz == 5_725_000);
        Assert.That(dfs.Flags, Is.EqualTo(RegRuleFlags.Dfs));
        Assert.That(dfs.MaxEirpMbm, Is.EqualTo(2400));
        Assert.That(i.Rules.Any(r => r.StartKhz < 1_000_000), Is.False, "DE has no sub-GHz rules");
    }

    [Test]
    public void Same_DFS_region_is_kept()
    {
        var i = RegDomainIntersection.Intersect(TestDomains.Country("DE"), TestDomains.Country("FR"))!;
        Assert.That(i.DfsRegion, Is.EqualTo(DfsRegion.Etsi));
    }

    [Test]
    public void Disjoint_domains_have_no_intersection()
    {
        var a = new RegDomain("AA", DfsRegion.Fcc, [new RegRule(2_400_000, 2_500_000, 40_000, 2000)]);
        var b = new RegDomain("BB", DfsRegion.Fcc, [new RegRule(5_000_000, 5_100_000, 40_000, 2000)]);
        Assert.That(RegDomainIntersection.Intersect(a, b), Is.Null);
    }

    [Test]
    public void A_contained_rule_is_merged_away()
    {
        var a = new RegDomain("AA", DfsRegion.Unset, [new RegRule(5_000_000, 5_200_000, 80_000, 2000)]);
        var b = new RegDomain("BB", DfsRegion.Unset,
        [
            new RegRule(5_000_000, 5_100_000, 40_000, 3000),
            new RegRule(5_000_000, 5_200_000, 80_000, 1000),
        ]);
        var i = RegDomainIntersection.Intersect(a, b)!;
        Assert.That(i.Rules, Has.Length.EqualTo(1));
        Assert.That(i.Rules[0], Is.EqualTo(new RegRule(5_000_000, 5_200_000, 80_000, 1000)));
    }

    [Test]
    public void WMM_limits_take_the_stricter_values()
    {
        var a = new WmmRule([new(3, 7, 2, 2), new(7, 15, 2, 4), new(15, 1023, 3, 6), new(15, 1023, 7, 6)],
                            [new(3, 7, 1, 2), new(7, 15, 1, 4), new(15, 63, 3, 6), new(15, 1023, 7, 6)]);
        var b = new WmmRule([new(7, 15, 1, 1), new(7, 15, 2, 4), new(15, 1023, 3, 6), new(15, 1023, 7, 6)],
                            [new(3, 7, 1, 2), new(7, 15, 1, 4), new(15, 63, 3, 6), new(15, 1023, 7, 6)]);
        var w = RegDomainIntersection.IntersectWmm(a, b)!;
        Assert.That(w.Client[0], Is.EqualTo(new WmmAc(7, 15, 2, 1)));
        Assert.That(RegDomainIntersection.IntersectWmm(null, b), Is.SameAs(b));
    }
}
