using L4Re.Regulatory.Regdb;
using L4Re.Regulatory.Regdb.DbTxt;
using L4Re.Regulatory.Regdb.Signature;
using L4Re.Regulatory.Rules;

namespace L4Re.Regulatory.Tests;

/// <summary>
/// Bad input: truncated, bit-flipped and random regulatory.db, db.txt and signatures. Every case must end in
/// success with a complete, consistent result or in <see cref="RegulatoryDataException"/> — never another
/// exception type. Deterministic: fixed seeds.
/// </summary>
public class BadInputFuzzTests
{
    private static int _cases;

    [OneTimeTearDown]
    public static void Report() => TestContext.Out.WriteLine($"bad-input cases run: {_cases}");

    /// <summary>Runs <paramref name="load"/>; returns true on success, false on the documented exception, fails the test otherwise.</summary>
    private static bool Outcome<T>(Func<T> load, Action<T> checkComplete, string what)
    {
        Interlocked.Increment(ref _cases);
        T result;
        try
        {
            result = load();
        }
        catch (RegulatoryDataException)
        {
            return false;
        }
        catch (Exception e)
        {
            Assert.Fail($"{what}: {e.GetType().Name} escaped instead of RegulatoryDataException: {e}");
            return false;
        }
        checkComplete(result);
        return true;
    }

    private static void CompleteDatabase(RegulatoryDatabase db)
    {
        // A loaded database is whole: every country has valid rules and the database encodes and decodes to itself.
        var again = RegulatoryDatabase.Read(db.ToRegulatoryDb());
        Assert.That(again.Countries, Has.Count.EqualTo(db.Countries.Count));
        foreach (var country in db.Countries)
        {
            Assert.That(again[country.Alpha2].SameRulesAs(country), Is.True);
            Assert.That(country.Rules.All(r => r.IsValid), Is.True);
        }
    }

    private static bool ReadDb(byte[] image, string what) => Outcome(() => RegulatoryDatabase.Read(image), CompleteDatabase, what);

    [Test]
    public void Every_truncation_of_regulatory_db_is_refused_unless_only_padding_is_lost()
    {
        var image = TestData.Installed(TestData.UpstreamDbPath);
        var full = RegulatoryDatabase.Read(image);
        var loaded = Enumerable.Range(0, image.Length).Where(len => ReadDb(image[..len], $"truncated to {len}")).ToList();
        // The last collection has an odd rule count; like the kernel, the reader does not need its 2 bytes of padding.
        Assert.That(loaded, Is.EqualTo(new[] { image.Length - 2, image.Length - 1 }));
        foreach (var len in loaded)
        {
            var db = RegulatoryDatabase.Read(image[..len]);
            Assert.That(db.Countries.All(c => c.SameRulesAs(full[c.Alpha2])) && db.Countries.Count == full.Countries.Count, Is.True);
        }
    }

    [Test]
    public void Bit_flipped_regulatory_db_is_refused_or_loads_completely()
    {
        var image = TestData.Installed(TestData.UpstreamDbPath);
        var rng = new Random(20260530);
        var loaded = 0;
        for (var i = 0; i < 30_000; i++)
        {
            var copy = (byte[])image.Clone();
            var flips = rng.Next(1, 5);
            for (var f = 0; f < flips; f++)
            {
                var bit = rng.Next(copy.Length * 8);
                copy[bit / 8] ^= (byte)(1 << (bit % 8));
            }
            // Every 8th success gets the full encode/decode check; all get the structural one.
            if (Outcome(() => RegulatoryDatabase.Read(copy), db =>
                {
                    Assert.That(db.Countries.All(c => c.Rules.Length > 0 && c.Rules.All(r => r.IsValid)), Is.True);
                    if (loaded % 8 == 0)
                        CompleteDatabase(db);
                }, $"bit flips case {i}"))
                loaded++;
        }
        // Flips in rule values (power, frequencies) still make a valid database; flips in structure do not.
        Assert.That(loaded, Is.InRange(1, 29_999));
    }

    [Test]
    public void Random_bytes_are_refused_or_load_completely()
    {
        var rng = new Random(7);
        for (var i = 0; i < 20_000; i++)
        {
            var image = new byte[rng.Next(0, 2048)];
            rng.NextBytes(image);
            if (i % 2 == 0 && image.Length >= 8)
            {
                // A valid header and small pointers, so the walk gets past the first checks.
                "RGDB"u8.CopyTo(image);
                image[4] = 0; image[5] = 0; image[6] = 0; image[7] = 20;
                for (var p = 10; p + 1 < image.Length && p < 200; p += 4)
                {
                    image[p] = 0;
                    image[p + 1] = (byte)rng.Next(0, Math.Max(1, image.Length / 4));
                }
            }
            ReadDb(image, $"random image case {i}");
        }
    }

    [Test]
    public void Mutated_generated_databases_are_refused_or_load_completely()
    {
        var rng = new Random(99);
        for (var i = 0; i < 10_000; i++)
        {
            var image = RandomDatabase(rng).ToRegulatoryDb();
            var at = rng.Next(image.Length);
            image[at] = (byte)rng.Next(256);
            ReadDb(image, $"mutated generated database case {i}");
        }
    }

    internal static RegulatoryDatabase RandomDatabase(Random rng)
    {
        var wmm = new WmmRule([new(3, 7, 2, 2), new(7, 15, 2, 4), new(15, 1023, 3, 6), new(15, 1023, 7, 6)],
                              [new(3, 7, 1, 2), new(7, 15, 1, 4), new(15, 63, 3, 6), new(15, 1023, 7, 6)]);
        var countries = new List<RegDomain>();
        var codes = new HashSet<string>();
        var n = rng.Next(1, 6);
        while (countries.Count < n)
        {
            var code = $"{(char)('A' + rng.Next(26))}{(char)('A' + rng.Next(26))}";
            if (!codes.Add(code))
                continue;
            var rules = new List<RegRule>();
            for (var r = rng.Next(1, 5); r > 0; r--)
            {
                var start = (uint)rng.Next(1, 70_000) * 1000;
                var width = (uint)rng.Next(1, 2000) * 1000;
                rules.Add(new RegRule(start, start + width, (uint)rng.Next(0, (int)width + 1), rng.Next(0, 65536),
                    (RegRuleFlags)rng.Next(32), rng.Next(4) == 0 ? (uint)rng.Next(0, 700) * 1000 : 0, rng.Next(3) == 0 ? wmm : null));
            }
            countries.Add(new RegDomain(code, (DfsRegion)rng.Next(4), rules));
        }
        return new RegulatoryDatabase(countries);
    }

    private static readonly string SmallDbTxt = string.Join('\n', TestData.DbTxt.Split('\n').Take(75));

    private static bool ParseText(string text, string what) =>
        Outcome(() => DbTxtParser.Parse(text), doc =>
        {
            DbTxtAssert.Equal(DbTxtParser.Parse(DbTxtWriter.Write(doc)), doc);
            try
            {
                RegulatoryDbCompiler.Compile(doc);
            }
            catch (RegulatoryDataException)
            {
            }
        }, what);

    private static string Mutate(string text, Random rng)
    {
        const string alphabet = "()@-,:=#./ \t\nNAWmDFSIROUTBGHC0123456789country wmmrule band power";
        var chars = text.ToList();
        for (var m = rng.Next(1, 4); m > 0; m--)
        {
            var at = rng.Next(chars.Count + 1);
            switch (rng.Next(5))
            {
                case 0 when at < chars.Count: chars[at] = alphabet[rng.Next(alphabet.Length)]; break;
                case 1 when at < chars.Count: chars.RemoveAt(at); break;
                case 2: chars.Insert(at, alphabet[rng.Next(alphabet.Length)]); break;
                case 3: chars.RemoveRange(at, Math.Min(rng.Next(1, 40), chars.Count - at)); break;
                default:
                    var from = rng.Next(chars.Count);
                    chars.InsertRange(at, chars.GetRange(from, Math.Min(rng.Next(1, 60), chars.Count - from)));
                    break;
            }
        }
        return new string([.. chars]);
    }

    [Test]
    public void Mutated_db_txt_is_refused_or_parses_completely()
    {
        Assert.That(ParseText(SmallDbTxt, "unmutated"), Is.True);
        var rng = new Random(1);
        var parsed = 0;
        for (var i = 0; i < 20_000; i++)
            if (ParseText(Mutate(SmallDbTxt, rng), $"mutated db.txt case {i}"))
                parsed++;
        Assert.That(parsed, Is.InRange(1, 19_999));
    }

    [Test]
    public void Mutated_full_db_txt_is_refused_or_parses_completely()
    {
        var full = TestData.DbTxt;
        var rng = new Random(2);
        for (var i = 0; i < 300; i++)
            ParseText(Mutate(full, rng), $"mutated full db.txt case {i}");
    }

    [Test]
    public void Truncated_and_random_db_txt_is_refused_or_parses_completely()
    {
        var rng = new Random(3);
        for (var len = 0; len < SmallDbTxt.Length; len += 7)
            ParseText(SmallDbTxt[..len], $"truncated db.txt {len}");
        for (var i = 0; i < 5_000; i++)
        {
            var chars = new char[rng.Next(0, 300)];
            for (var c = 0; c < chars.Length; c++)
                chars[c] = (char)rng.Next(0, 128);
            ParseText(new string(chars), $"random text case {i}");
        }
    }

    private static bool Verify(RegdbSignatureVerifier verifier, byte[] db, byte[] sig, string what) =>
        Outcome(() => verifier.Verify(db, sig), _ => { }, what);

    [Test]
    public void Truncated_random_and_mutated_signatures_are_refused()
    {
        var db = TestData.Installed(TestData.UpstreamDbPath);
        var sig = TestData.Installed(TestData.UpstreamSigPath);
        using var verifier = new RegdbSignatureVerifier(RegdbCertificates.LoadFile(TestData.WensCertPath));
        Assert.That(Verify(verifier, db, sig, "original"), Is.True);
        for (var len = 0; len < sig.Length; len++)
            Assert.That(Verify(verifier, db, sig[..len], $"signature truncated to {len}"), Is.False);
        var rng = new Random(4);
        for (var i = 0; i < 5_000; i++)
        {
            var random = new byte[rng.Next(0, 1500)];
            rng.NextBytes(random);
            if (i % 2 == 0 && random.Length > 20)
                sig.AsSpan(0, 20).CopyTo(random); // a plausible DER prefix
            Assert.That(Verify(verifier, db, random, $"random signature case {i}"), Is.False);
        }
        for (var i = 0; i < 10_000; i++)
        {
            var copy = (byte[])sig.Clone();
            for (var m = rng.Next(1, 4); m > 0; m--)
                copy[rng.Next(copy.Length)] ^= (byte)rng.Next(1, 256);
            Assert.That(Verify(verifier, db, copy, $"mutated signature case {i}"), Is.False);
        }
    }

    [Test]
    public void A_database_refused_for_its_signature_is_never_loaded_even_partially()
    {
        var db = TestData.Installed(TestData.UpstreamDbPath);
        var sig = TestData.Installed(TestData.UpstreamSigPath);
        var options = new RegdbLoadOptions { TrustedCertificates = RegdbCertificates.LoadFile(TestData.WensCertPath) };
        var rng = new Random(5);
        for (var i = 0; i < 500; i++)
        {
            var copy = (byte[])db.Clone();
            copy[rng.Next(copy.Length)] ^= (byte)rng.Next(1, 256);
            RegulatoryDatabase? loaded = null;
            Assert.Throws<RegulatoryDataException>(() => loaded = RegulatoryDbLoader.Load(copy, sig, options));
            Assert.That(loaded, Is.Null);
        }
    }
}
