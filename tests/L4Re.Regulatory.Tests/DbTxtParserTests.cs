using L4Re.Regulatory.Regdb;
using L4Re.Regulatory.Regdb.DbTxt;
using L4Re.Regulatory.Rules;

namespace L4Re.Regulatory.Tests;

public class DbTxtParserTests
{
    private const string Wmm = """
        wmmrule ETSI:
        	vo_c: cw_min=3, cw_max=7, aifsn=2, cot=2
        	vi_c: cw_min=7, cw_max=15, aifsn=2, cot=4
        	be_c: cw_min=15, cw_max=1023, aifsn=3, cot=6
        	bk_c: cw_min=15, cw_max=1023, aifsn=7, cot=6
        	vo_ap: cw_min=3, cw_max=7, aifsn=1, cot=2
        	vi_ap: cw_min=7, cw_max=15, aifsn=1, cot=4
        	be_ap: cw_min=15, cw_max=63, aifsn=3, cot=6
        	bk_ap: cw_min=15, cw_max=1023, aifsn=7, cot=6

        """;

    [Test]
    public void Parses_every_part_of_the_grammar()
    {
        var doc = DbTxtParser.Parse(Wmm + """
            # a comment
            band lower: 5150 - 5250 @ 80
            power hot: 30
            power na: N/A

            country AA,BB: DFS-ETSI   # trailing comment
            	(2400 - 2483.5 @ 40), (100 mW)
            	lower, (200 mW), NO-OUTDOOR, AUTO-BW, wmmrule=ETSI
            	(5250 - 5350), hot, DFS, NO-IR, NO-OFDM, NO-CCK, PTP-ONLY, PTMP-ONLY, NO-HT40
            	(57000 - 66000 @ 2160), na
            	(5470 - 5725 @ 160), (27), DFS, NO-INDOOR

            country CC:
            	(2402 - 2482 @ 40), (20)
            	(2402 - 2482 @ 40), (100 mW)
            country AA: DFS-ETSI
            	(5725 - 5875 @ 80), (25 mW)
            """);
        Assert.That(doc.WmmRules.Single().Key, Is.EqualTo("ETSI"));
        Assert.That(doc.WmmRules[0].Value.Ap[2], Is.EqualTo(new WmmAc(15, 63, 3, 6)));
        Assert.That(doc.Countries.Select(c => c.Alpha2), Is.EqualTo(new[] { "AA", "BB", "CC" }));
        var aa = doc.Find("AA")!;
        Assert.That(aa.DfsRegion, Is.EqualTo(DfsRegion.Etsi));
        Assert.That(aa.Rules, Has.Count.EqualTo(6), "a country can be continued by a second block");
        Assert.That(doc.Find("BB")!.Rules, Has.Count.EqualTo(5));
        var lower = aa.Rules.Single(r => r.StartMhz == 5150);
        Assert.That(lower.MaxBandwidthMhz, Is.EqualTo(80));
        Assert.That(lower.Power.Unit, Is.EqualTo(PowerUnit.MilliWatt));
        Assert.That(lower.Power.Mbm, Is.EqualTo(2301));
        Assert.That(lower.Flags, Is.EqualTo(DbTxtRuleFlags.NoOutdoor | DbTxtRuleFlags.AutoBw));
        Assert.That(lower.Wmm, Is.SameAs(doc.WmmRules[0].Value));
        var mid = aa.Rules.Single(r => r.StartMhz == 5250);
        Assert.That(mid.MaxBandwidthMhz, Is.EqualTo(20), "bandwidth defaults to 20 MHz");
        Assert.That(mid.Power.Dbm, Is.EqualTo(30));
        Assert.That(mid.Flags, Is.EqualTo(DbTxtRuleFlags.Dfs | DbTxtRuleFlags.NoIr | DbTxtRuleFlags.NoOfdm | DbTxtRuleFlags.NoCck |
                                          DbTxtRuleFlags.PtpOnly | DbTxtRuleFlags.PtmpOnly | DbTxtRuleFlags.NoHt40));
        Assert.That(aa.Rules.Single(r => r.StartMhz == 57000).Power.Unit, Is.EqualTo(PowerUnit.NotApplicable));
        Assert.That(aa.Rules.Select(r => r.StartMhz), Is.Ordered, "rules are sorted");
        Assert.That(doc.Find("CC")!.Rules, Has.Count.EqualTo(1), "20 dBm and 100 mW are the same rule");
        Assert.That(aa.BinaryRules.Count(), Is.EqualTo(5), "the NO-INDOOR rule has no binary form");
    }

    [Test]
    public void Rules_with_flags_regulatory_db_cannot_hold_do_not_compile()
    {
        var doc = DbTxtParser.Parse("country AA:\n\t(2402 - 2482 @ 40), (20), NO-CCK\n");
        var e = Assert.Throws<RegulatoryDataException>(() => RegulatoryDbCompiler.Compile(doc))!;
        Assert.That(e.Message, Does.Contain("NO-CCK").And.Contain("line 1"));
    }

    [Test]
    public void A_country_without_binary_rules_does_not_compile()
    {
        var doc = DbTxtParser.Parse("country AA:\n\t(2402 - 2482 @ 40), (20), NO-INDOOR\n");
        Assert.Throws<RegulatoryDataException>(() => RegulatoryDbCompiler.Compile(doc));
    }

    [TestCase("country AA:\n\t(2402 - 2482 @ 40), (20)\n\t(5170 - 5250 @ 80), (20), FOO\n", 3, "invalid flag 'FOO'")]
    [TestCase("country AA: DFS-XYZ\n", 1, "unknown DFS region")]
    [TestCase("country A:\n", 1, "not two upper-case")]
    [TestCase("countryAA\n", 1, "colon")]
    [TestCase("\n\n(2402 - 2482 @ 40), (20)\n", 3, "expected a band, power, wmmrule or country")]
    [TestCase("country AA:\n\t(2482 - 2402 @ 40), (20)\n", 2, "inverted")]
    [TestCase("country AA:\n\t(2402 - 2402 @ 40), (20)\n", 2, "equal")]
    [TestCase("country AA:\n\t(0 - 2402 @ 40), (20)\n", 2, "start frequency")]
    [TestCase("country AA:\n\t(2402 - 2442 @ 80), (20)\n", 2, "larger than the range")]
    [TestCase("country AA:\n\t(2402 - 2482 @ 40, (20)\n", 2, "badly parenthesised band")]
    [TestCase("country AA:\n\t(2402 - 2482 @ 40), (20\n", 2, "badly parenthesised power")]
    [TestCase("country AA:\n\t(2402 - 2482 @ 40), (abc)\n", 2, "invalid power")]
    [TestCase("country AA:\n\t(2402 - 2482 @ 40), (0 mW)\n", 2, "invalid power data")]
    [TestCase("country AA:\n\t(2402 - 2482 @ 40), (-3)\n", 2, "invalid power")]
    [TestCase("country AA:\n\t(2402 - 2482 @ 40), (700)\n", 2, "outside 0 to 655.35")]
    [TestCase("country AA:\n\t(2402 - 2482 @ 40), (nan)\n", 2, "invalid power")]
    [TestCase("country AA:\n\t(2402 - 2482 @ 40), (20), wmmrule=ETSI\n", 2, "no wmm rule")]
    [TestCase("country AA:\n\t(2402 - 2482 @ 40), (20), wmmrule=ETSI, DFS\n", 2, "invalid flag 'wmmrule=ETSI'")]
    [TestCase("country AA:\n\t(2402 - 2482 @ 40), (20),\n", 2, "invalid flag ''")]
    [TestCase("country AA:\n\tnoband, (20)\n", 2, "band 'noband' does not exist")]
    [TestCase("country AA:\n\t(2402 - 2482 @ 40), nopower\n", 2, "power 'nopower' does not exist")]
    [TestCase("band x: 1 - 30\nband x: 1 - 40\n", 2, "defined twice")]
    [TestCase("country AA: DFS-FCC\ncountry AA: DFS-ETSI\n", 2, "another DFS region")]
    [TestCase("wmmrule E:\n\tvo_c: cw_min=3, cw_max=7, aifsn=2, cot=2\n\n", 1, "lacks access categories")]
    [TestCase("wmmrule E:\n\tvo_c: cw_min=7, cw_max=3, aifsn=2, cot=2\n", 2, "smaller than cw_max")]
    [TestCase("wmmrule E:\n\tvo_c: cw_min=3, cw_max=3, aifsn=2, cot=2\n", 2, "smaller than cw_max")]
    [TestCase("wmmrule E:\n\tvo_c: cw_min=4, cw_max=7, aifsn=2, cot=2\n", 2, "power of 2")]
    [TestCase("wmmrule E:\n\tvo_c: cw_min=3, cw_max=7, aifsn=0, cot=2\n", 2, "aifsn")]
    [TestCase("wmmrule E:\n\tvo_c: cw_min=3, cw_max=7, aifsn=2\n", 2, "expected cw_min")]
    [TestCase("wmmrule E:\n\txx_c: cw_min=3, cw_max=7, aifsn=2, cot=2\n", 2, "unknown access category")]
    [TestCase("wmmrule E\n", 1, "end with a colon")]
    public void Errors_name_the_line(string text, int line, string message)
    {
        var e = Assert.Throws<RegulatoryDataException>(() => DbTxtParser.Parse(text))!;
        Assert.That(e.Line, Is.EqualTo(line), e.Message);
        Assert.That(e.DataSource, Is.EqualTo(RegulatoryDataSource.DbTxt));
        Assert.That(e.Message, Does.Contain($"line {line}:").And.Contain(message).IgnoreCase);
    }

    [Test]
    public void Whitespace_is_insignificant()
    {
        var a = DbTxtParser.Parse("country AA: DFS-FCC\n\t(2402 - 2482 @ 40), (20), NO-IR\n");
        var b = DbTxtParser.Parse("  country   A A :DFS - FCC\n(24 02-2482@40),(2 0),NO- IR\n");
        DbTxtAssert.Equal(b, a);
    }

    [Test]
    public void The_writer_round_trips_every_form()
    {
        const string text = """
            country AA: DFS-JP
            	(2400 - 2483.5 @ 40), (100 mW)
            	(5150.125 - 5250 @ 80), (23.5), NO-OUTDOOR, AUTO-BW
            	(57000 - 66000 @ 2160), (N/A)
            	(5470 - 5725 @ 160), (27), DFS, NO-INDOOR

            """;
        var doc = DbTxtParser.Parse(Wmm + text);
        var written = DbTxtWriter.Write(doc);
        Assert.That(written, Does.Contain("(2400 - 2483.5 @ 40), (100 mW)\n").And.Contain("(N/A)").And.Contain("NO-INDOOR"));
        DbTxtAssert.Equal(DbTxtParser.Parse(written), doc);
    }

    [Test]
    public void Dumping_converts_kHz_and_mBm_back_exactly()
    {
        foreach (var khz in new uint[] { 1, 999, 2_483_500, 5_152_333, 4_294_967_000 })
            Assert.That(DbTxtRule.ToKhz(DbTxtWriter.KhzToMhz(khz)), Is.EqualTo(khz));
        for (var mbm = 0; mbm <= 65535; mbm++)
            Assert.That(new DbTxtPower(DbTxtWriter.MbmToDbm(mbm), PowerUnit.Dbm).Mbm, Is.EqualTo(mbm));
    }
}
