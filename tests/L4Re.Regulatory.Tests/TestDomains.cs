using L4Re.Regulatory.Regdb;
using L4Re.Regulatory.Regdb.DbTxt;
using L4Re.Regulatory.Rules;

namespace L4Re.Regulatory.Tests;

/// <summary>Shared, lazily loaded databases for tests.</summary>
internal static class TestDomains
{
    private static readonly Lazy<RegulatoryDatabase> Upstream = new(() => RegulatoryDatabase.Read(TestData.Installed(TestData.UpstreamDbPath)));
    private static readonly Lazy<RegulatoryDatabase> FromText = new(() => RegulatoryDbCompiler.ToDatabase(DbTxtParser.Parse(TestData.DbTxt)));

    /// <summary>Debian's installed upstream regulatory.db.</summary>
    public static RegulatoryDatabase Installed => Upstream.Value;

    /// <summary>The database compiled from the repository's copy of db.txt (no installed package needed).</summary>
    public static RegulatoryDatabase Shared => FromText.Value;

    public static RegDomain Country(string alpha2) => Shared[alpha2];
}
