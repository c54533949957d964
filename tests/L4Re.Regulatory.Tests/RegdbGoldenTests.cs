using L4Re.Regulatory.Regdb;
using L4Re.Regulatory.Regdb.DbTxt;
using L4Re.Regulatory.Rules;

namespace L4Re.Regulatory.Tests;

public class RegdbGoldenTests
{
    [Test]
    public void Compiling_the_shared_db_txt_gives_Debians_upstream_regulatory_db_byte_for_byte()
    {
        var expected = TestData.Installed(TestData.UpstreamDbPath);
        var actual = RegulatoryDbCompiler.Compile(TestData.DbTxt);
        Assert.That(actual.Length, Is.EqualTo(expected.Length));
        var firstDifference = Enumerable.Range(0, actual.Length).FirstOrDefault(i => actual[i] != expected[i], -1);
        Assert.That(firstDifference, Is.EqualTo(-1), $"first differing byte at offset 0x{firstDifference:x}");
    }

    [Test]
    public void Every_country_of_the_binary_decodes_to_the_rules_of_db_txt()
    {
        var binary = RegulatoryDatabase.Read(TestData.Installed(TestData.UpstreamDbPath));
        var source = RegulatoryDbCompiler.ToDatabase(DbTxtParser.Parse(TestData.DbTxt));
        Assert.That(binary.Countries.Select(c => c.Alpha2), Is.EqualTo(source.Countries.Select(c => c.Alpha2)));
        foreach (var country in binary.Countries)
        {
            var expected = source[country.Alpha2];
            Assert.That(country.DfsRegion, Is.EqualTo(expected.DfsRegion), country.Alpha2);
            Assert.That(country.Rules, Is.EqualTo(expected.Rules), country.Alpha2);
        }
        Assert.That(binary.Countries, Has.Count.EqualTo(182));
    }

    [Test]
    public void Writing_the_decoded_binary_gives_the_same_bytes()
    {
        var image = TestData.Installed(TestData.UpstreamDbPath);
        Assert.That(RegulatoryDatabase.Read(image).ToRegulatoryDb(), Is.EqualTo(image));
    }

    [Test]
    public void Debians_own_copy_is_the_same_database()
    {
        Assert.That(TestData.Installed(TestData.DebianDbPath), Is.EqualTo(TestData.Installed(TestData.UpstreamDbPath)));
    }

    [Test]
    public void Dumped_db_txt_compiles_back_to_the_same_binary()
    {
        var image = TestData.Installed(TestData.UpstreamDbPath);
        var text = DbTxtWriter.Write(RegulatoryDatabase.Read(image));
        Assert.That(RegulatoryDbCompiler.Compile(text), Is.EqualTo(image));
    }

    [Test]
    public void Writing_the_parsed_db_txt_parses_back_to_an_equal_document()
    {
        var doc = DbTxtParser.Parse(TestData.DbTxt);
        var again = DbTxtParser.Parse(DbTxtWriter.Write(doc));
        DbTxtAssert.Equal(again, doc);
        Assert.That(RegulatoryDbCompiler.Compile(again), Is.EqualTo(RegulatoryDbCompiler.Compile(doc)));
    }

    [Test]
    public void No_indoor_rules_are_left_out_as_upstream_does()
    {
        var doc = DbTxtParser.Parse(TestData.DbTxt);
        Assert.That(doc.Find("IR")!.Rules, Has.Count.EqualTo(4));
        var ir = RegulatoryDbCompiler.ToDatabase(doc)["IR"];
        Assert.That(ir.Rules, Has.Length.EqualTo(3));
        Assert.That(ir.Rules.Any(r => r.StartKhz == 5_470_000), Is.False);
    }

    [Test]
    public void Known_values_of_US_and_DE()
    {
        var db = RegulatoryDatabase.Read(TestData.Installed(TestData.UpstreamDbPath));
        var us = db["US"];
        Assert.That(us.DfsRegion, Is.EqualTo(DfsRegion.Fcc));
        var u4 = us.Rules.Single(r => r.StartKhz == 5_850_000);
        Assert.That(u4.EndKhz, Is.EqualTo(5_895_000u));
        Assert.That(u4.MaxEirpMbm, Is.EqualTo(2700));
        Assert.That(u4.Flags, Is.EqualTo(RegRuleFlags.NoOutdoor | RegRuleFlags.AutoBw | RegRuleFlags.NoIr));
        var de = db["DE"];
        Assert.That(de.DfsRegion, Is.EqualTo(DfsRegion.Etsi));
        // 500 mW -> 10*log10(500) = 26.9897 dBm -> 2698 mBm (truncated); 25 mW -> 1397 mBm.
        Assert.That(de.Rules.Single(r => r.StartKhz == 5_470_000).MaxEirpMbm, Is.EqualTo(2698));
        Assert.That(de.Rules.Single(r => r.StartKhz == 5_725_000).MaxEirpMbm, Is.EqualTo(1397));
        Assert.That(de.Rules.Single(r => r.StartKhz == 5_150_000).Wmm, Is.Not.Null);
        Assert.That(de.Rules.Single(r => r.StartKhz == 5_150_000).Wmm!.Client[2].CwMax, Is.EqualTo(1023));
    }
}
