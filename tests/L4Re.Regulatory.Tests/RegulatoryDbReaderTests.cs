using System.Buffers.Binary;
using L4Re.Regulatory.Regdb;
using L4Re.Regulatory.Rules;

namespace L4Re.Regulatory.Tests;

public class RegulatoryDbReaderTests
{
    /// <summary>A small valid image: one country "AA" with one rule and a WMM rule.</summary>
    private static byte[] Small()
    {
        var wmm = new WmmRule([new(3, 7, 2, 2), new(7, 15, 2, 4), new(15, 1023, 3, 6), new(15, 1023, 7, 6)],
                              [new(3, 7, 1, 2), new(7, 15, 1, 4), new(15, 63, 3, 6), new(15, 1023, 7, 6)]);
        var db = new RegulatoryDatabase([new RegDomain("AA", DfsRegion.Etsi, [new RegRule(5_150_000, 5_250_000, 80_000, 2301, RegRuleFlags.NoOutdoor, 0, wmm)])]);
        return db.ToRegulatoryDb();
    }

    // Layout of Small(): header 0-7, index AA at 8, terminator 12, WMM at 16 (32 bytes), rule at 48 (20 bytes), collection at 68.
    [Test]
    public void Small_image_has_the_expected_layout()
    {
        var image = Small();
        Assert.That(image, Has.Length.EqualTo(68 + 4 + 2 + 2));
        Assert.That(BinaryPrimitives.ReadUInt16BigEndian(image.AsSpan(10)), Is.EqualTo(68 / 4));
        Assert.That(image[48], Is.EqualTo(20));
        Assert.That(BinaryPrimitives.ReadUInt16BigEndian(image.AsSpan(48 + 18)), Is.EqualTo(16 / 4));
        var back = RegulatoryDatabase.Read(image);
        Assert.That(back["AA"].Rules[0].Wmm!.Ap[2].CwMax, Is.EqualTo(63));
    }

    private static RegulatoryDataException Fails(byte[] image) =>
        Assert.Throws<RegulatoryDataException>(() => RegulatoryDatabase.Read(image))!;

    [Test]
    public void Rejects_what_valid_regdb_rejects()
    {
        Assert.That(Fails([.. "RGD"u8]).Message, Does.Contain("shorter than"));
        var badMagic = Small(); badMagic[0] = (byte)'X';
        Assert.That(Fails(badMagic).Message, Does.Contain("magic"));
        var badVersion = Small(); badVersion[7] = 19;
        Assert.That(Fails(badVersion).Message, Does.Contain("version 19"));
        var collOut = Small(); BinaryPrimitives.WriteUInt16BigEndian(collOut.AsSpan(10), 0x1000);
        Assert.That(Fails(collOut).Message, Does.Contain("outside the file"));
        var tooManyRules = Small(); tooManyRules[69] = 9;
        Assert.That(Fails(tooManyRules).Message, Does.Contain("runs past the end"));
        var shortColl = Small(); shortColl[68] = 2;
        Assert.That(Fails(shortColl).Message, Does.Contain("length 2"));
        var shortRule = Small(); shortRule[48] = 15;
        Assert.That(Fails(shortRule).Message, Does.Contain("length 15"));
        var wmmOut = Small(); BinaryPrimitives.WriteUInt16BigEndian(wmmOut.AsSpan(48 + 18), 0x100);
        Assert.That(Fails(wmmOut).Message, Does.Contain("WMM rule"));
        var badCw = Small(); badCw[16] = 0x33;
        Assert.That(Fails(badCw).Message, Does.Contain("cw_min"));
        var badAifsn = Small(); badAifsn[17] = 0;
        Assert.That(Fails(badAifsn).Message, Does.Contain("aifsn"));
    }

    [Test]
    public void Rejects_what_the_kernel_would_only_refuse_later()
    {
        var noRules = Small(); noRules[69] = 0;
        Assert.That(Fails(noRules).Message, Does.Contain("0 rules"));
        var badDfs = Small(); badDfs[70] = 7;
        Assert.That(Fails(badDfs).Message, Does.Contain("DFS region 7"));
        var badFlags = Small(); badFlags[49] = 0x40;
        Assert.That(Fails(badFlags).Message, Does.Contain("flag bits"));
        var inverted = Small(); BinaryPrimitives.WriteUInt32BigEndian(inverted.AsSpan(48 + 8), 5_000_000);
        Assert.That(Fails(inverted).Message, Does.Contain("invalid"));
        var wide = Small(); BinaryPrimitives.WriteUInt32BigEndian(wide.AsSpan(48 + 12), 160_000);
        Assert.That(Fails(wide).Message, Does.Contain("invalid"));
        var badCode = Small(); badCode[8] = (byte)'a';
        Assert.That(Fails(badCode).Message, Does.Contain("country code"));
        var ruleOut = Small(); ruleOut[48] = 200;
        Assert.That(Fails(ruleOut).Message, Does.Contain("runs past the end"));
    }

    [Test]
    public void The_country_index_must_end_with_a_zero_entry()
    {
        // Header, one entry "ZZ" -> collection at 28, no terminator, rule at 12, collection at 28.
        var image = new byte[36];
        BinaryPrimitives.WriteUInt32BigEndian(image, RegulatoryDbFormat.Magic);
        BinaryPrimitives.WriteUInt32BigEndian(image.AsSpan(4), RegulatoryDbFormat.Version);
        image[8] = (byte)'Z'; image[9] = (byte)'Z'; BinaryPrimitives.WriteUInt16BigEndian(image.AsSpan(10), 32 / 4);
        Assert.Throws<RegulatoryDataException>(() => RegulatoryDatabase.Read(image[..12]));
        Assert.That(Assert.Throws<RegulatoryDataException>(() => RegulatoryDatabase.Read(image[..8]))!.Message, Does.Contain("not terminated"));
        // Terminator at 12, rule at 16, collection at 32.
        image = new byte[40];
        BinaryPrimitives.WriteUInt32BigEndian(image, RegulatoryDbFormat.Magic);
        BinaryPrimitives.WriteUInt32BigEndian(image.AsSpan(4), RegulatoryDbFormat.Version);
        image[8] = (byte)'Z'; image[9] = (byte)'Z'; BinaryPrimitives.WriteUInt16BigEndian(image.AsSpan(10), 32 / 4);
        image[16] = 16;
        BinaryPrimitives.WriteUInt16BigEndian(image.AsSpan(18), 2000);
        BinaryPrimitives.WriteUInt32BigEndian(image.AsSpan(20), 2_400_000);
        BinaryPrimitives.WriteUInt32BigEndian(image.AsSpan(24), 2_500_000);
        BinaryPrimitives.WriteUInt32BigEndian(image.AsSpan(28), 40_000);
        image[32] = 3; image[33] = 1; image[34] = 1;
        BinaryPrimitives.WriteUInt16BigEndian(image.AsSpan(36), 16 / 4);
        var db = RegulatoryDatabase.Read(image);
        Assert.That(db["ZZ"].Rules[0], Is.EqualTo(new RegRule(2_400_000, 2_500_000, 40_000, 2000)));
        Assert.That(db["ZZ"].DfsRegion, Is.EqualTo(DfsRegion.Fcc));
        Assert.That(RegulatoryDatabase.Read(db.ToRegulatoryDb())["ZZ"].SameRulesAs(db["ZZ"]), Is.True);
    }

    [Test]
    public void Shared_collections_decode_once_and_are_shared()
    {
        var db = TestDomains.Installed;
        var groups = db.Countries.GroupBy(c => c.Rules.Length == 0 ? null : (object)c.Rules[0]).ToList();
        var distinct = db.Countries.DistinctBy(c => string.Join(";", c.Rules.Select(r => r.ToString())) + c.DfsRegion).Count();
        Assert.That(distinct, Is.EqualTo(97), "97 collections for 182 countries");
        // The one WMM rule of the file is decoded once and shared by every rule that refers to it.
        var wmms = db.Countries.SelectMany(c => c.Rules).Select(r => r.Wmm).Where(w => w is not null).Distinct(ReferenceEqualityComparer.Instance);
        Assert.That(wmms.Count(), Is.EqualTo(1));
        Assert.That(groups, Is.Not.Empty);
    }

    [Test]
    public void The_writer_refuses_values_the_format_cannot_hold()
    {
        var db = new RegulatoryDatabase([new RegDomain("AA", DfsRegion.Unset, [new RegRule(1, 2, 1, 70_000)])]);
        Assert.Throws<ArgumentException>(() => db.ToRegulatoryDb());
        var cac = new RegulatoryDatabase([new RegDomain("AA", DfsRegion.Unset, [new RegRule(1, 2, 1, 0, RegRuleFlags.Dfs, 1500)])]);
        Assert.Throws<ArgumentException>(() => cac.ToRegulatoryDb());
    }

    [Test]
    public void A_CAC_time_is_stored_in_an_18_byte_rule()
    {
        var db = new RegulatoryDatabase([new RegDomain("AA", DfsRegion.Etsi, [new RegRule(5_250_000, 5_350_000, 80_000, 2000, RegRuleFlags.Dfs, 600_000)])]);
        var image = db.ToRegulatoryDb();
        Assert.That(image[16], Is.EqualTo(18));
        Assert.That(RegulatoryDatabase.Read(image)["AA"].Rules[0].CacTimeoutMs, Is.EqualTo(600_000u));
    }
}
