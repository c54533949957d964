using L4Re.Regulatory.Regdb.DbTxt;

namespace L4Re.Regulatory.Tests;

internal static class DbTxtAssert
{
    public static void Equal(DbTxtDocument actual, DbTxtDocument expected)
    {
        Assert.That(actual.WmmRules.ToDictionary(kv => kv.Key, kv => kv.Value),
            Is.EquivalentTo(expected.WmmRules.ToDictionary(kv => kv.Key, kv => kv.Value)));
        Assert.That(actual.Countries.Select(c => c.Alpha2), Is.EqualTo(expected.Countries.Select(c => c.Alpha2)));
        for (var i = 0; i < actual.Countries.Count; i++)
        {
            Assert.That(actual.Countries[i].DfsRegion, Is.EqualTo(expected.Countries[i].DfsRegion), expected.Countries[i].Alpha2);
            Assert.That(actual.Countries[i].Rules, Is.EqualTo(expected.Countries[i].Rules), expected.Countries[i].Alpha2);
        }
    }
}
