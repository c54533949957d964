using FsCheck;
using FsCheck.Fluent;
using L4Re.Regulatory.Regdb;
using L4Re.Regulatory.Regdb.DbTxt;
using L4Re.Regulatory.Rules;

namespace L4Re.Regulatory.Tests;

/// <summary>Round-trip properties of the formats, on generated databases (fixed seeds).</summary>
public class RegdbProperties
{
    private static readonly WmmRule Etsi = new([new(3, 7, 2, 2), new(7, 15, 2, 4), new(15, 1023, 3, 6), new(15, 1023, 7, 6)],
                                                [new(3, 7, 1, 2), new(7, 15, 1, 4), new(15, 63, 3, 6), new(15, 1023, 7, 6)]);
    private static readonly WmmRule Other = new([new(1, 3, 1, 0), new(7, 15, 2, 4), new(15, 1023, 3, 6), new(15, 1023, 7, 6)],
                                                 [new(3, 7, 1, 2), new(7, 15, 1, 4), new(15, 63, 3, 6), new(31, 1023, 7, 6)]);

    private static Arbitrary<int> Seeds => Gen.Choose(0, int.MaxValue).ToArbitrary();

    [FsCheck.NUnit.Property(MaxTest = 3_000, Replay = "(606,7013)", QuietOnSuccess = true)]
    public Property Binary_databases_round_trip() =>
        Prop.ForAll(Seeds, seed =>
        {
            var db = BadInputFuzzTests.RandomDatabase(new Random(seed));
            var image = db.ToRegulatoryDb();
            var back = RegulatoryDatabase.Read(image);
            return back.Countries.Count == db.Countries.Count &&
                   db.Countries.All(c => back[c.Alpha2].SameRulesAs(c)) &&
                   back.ToRegulatoryDb().AsSpan().SequenceEqual(image);
        });

    private static DbTxtDocument RandomDocument(Random rng, bool encodable)
    {
        var wmms = new List<KeyValuePair<string, WmmRule>> { new("ETSI", Etsi), new("OTHER", Other) };
        if (rng.Next(2) == 0)
            wmms.Add(new("ALIAS", Etsi));
        var countries = new List<DbTxtCountry>();
        var codes = new HashSet<string>();
        for (var n = rng.Next(1, 6); countries.Count < n;)
        {
            var code = rng.Next(10) == 0 ? "00" : $"{(char)('A' + rng.Next(26))}{(char)('A' + rng.Next(26))}";
            if (!codes.Add(code))
                continue;
            var rules = new List<DbTxtRule>();
            for (var r = rng.Next(1, 7); r > 0; r--)
            {
                var startKhz = rng.Next(1, 7_000_000);
                var widthKhz = rng.Next(1000, 400_000);
                var start = startKhz / 1000.0;
                var end = (startKhz + widthKhz) / 1000.0;
                var bw = Math.Max(1, rng.Next(1, widthKhz) / 1000);
                var power = rng.Next(3) switch
                {
                    0 => new DbTxtPower(rng.Next(0, 4000) / 100.0, PowerUnit.Dbm),
                    1 => new DbTxtPower(rng.Next(100, 400_000) / 100.0, PowerUnit.MilliWatt),
                    _ => new DbTxtPower(0, PowerUnit.NotApplicable),
                };
                var flags = (DbTxtRuleFlags)rng.Next(0, 1 << 12) & ~(DbTxtRuleFlags)0x300;
                if (encodable)
                    flags &= DbTxtFlagNames.Encodable;
                var wmm = rng.Next(3) switch { 0 => Etsi, 1 => Other, _ => null };
                if (DbTxtRule.ToKhz(bw) <= DbTxtRule.ToKhz(end) - DbTxtRule.ToKhz(start))
                    rules.Add(new DbTxtRule(start, end, bw, power, flags, wmm));
            }
            if (rules.Count == 0)
                rules.Add(new DbTxtRule(2402, 2482, 40, new DbTxtPower(20, PowerUnit.Dbm), DbTxtRuleFlags.None, null));
            countries.Add(new DbTxtCountry(code, (DfsRegion)rng.Next(4), rules));
        }
        return new DbTxtDocument(wmms, countries);
    }

    [FsCheck.NUnit.Property(MaxTest = 3_000, Replay = "(707,8017)", QuietOnSuccess = true)]
    public Property Db_txt_documents_round_trip_through_the_writer() =>
        Prop.ForAll(Seeds, seed =>
        {
            var doc = RandomDocument(new Random(seed), encodable: false);
            var again = DbTxtParser.Parse(DbTxtWriter.Write(doc));
            return again.Countries.Count == doc.Countries.Count &&
                   doc.Countries.Zip(again.Countries).All(p => p.First.Alpha2 == p.Second.Alpha2 && p.First.DfsRegion == p.Second.DfsRegion &&
                                                               p.First.Rules.SequenceEqual(p.Second.Rules));
        });

    [FsCheck.NUnit.Property(MaxTest = 2_000, Replay = "(808,9019)", QuietOnSuccess = true)]
    public Property Compiled_db_txt_decodes_to_its_rules_and_dumps_back_to_the_same_binary() =>
        Prop.ForAll(Seeds, seed =>
        {
            var doc = RandomDocument(new Random(seed), encodable: true);
            var image = RegulatoryDbCompiler.Compile(doc);
            var decoded = RegulatoryDatabase.Read(image);
            var expected = RegulatoryDbCompiler.ToDatabase(doc);
            return decoded.Countries.Select(c => c.Alpha2).SequenceEqual(expected.Countries.Select(c => c.Alpha2)) &&
                   expected.Countries.All(c => decoded[c.Alpha2].SameRulesAs(c)) &&
                   RegulatoryDbCompiler.Compile(DbTxtWriter.Write(decoded)).AsSpan().SequenceEqual(image);
        });
}
