using L4Re.Regulatory.Rules;

namespace L4Re.Regulatory.Tests;

public class FlagTests
{
    [Test]
    public void Binary_rule_flags_match_regulatory_db()
    {
        Assert.That((int)RegRuleFlags.NoOfdm, Is.EqualTo(1));
        Assert.That((int)RegRuleFlags.NoOutdoor, Is.EqualTo(2));
        Assert.That((int)RegRuleFlags.Dfs, Is.EqualTo(4));
        Assert.That((int)RegRuleFlags.NoIr, Is.EqualTo(8));
        Assert.That((int)RegRuleFlags.AutoBw, Is.EqualTo(16));
    }

    [Test]
    public void Dfs_regions_match_nl80211()
    {
        Assert.That((int)DfsRegion.Fcc, Is.EqualTo(1));
        Assert.That((int)DfsRegion.Etsi, Is.EqualTo(2));
        Assert.That((int)DfsRegion.Jp, Is.EqualTo(3));
    }
}
