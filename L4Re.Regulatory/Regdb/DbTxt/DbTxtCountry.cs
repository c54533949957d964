using L4Re.Regulatory.Rules;

namespace L4Re.Regulatory.Regdb.DbTxt;

/// <summary>
/// A country of db.txt: its code, DFS region and rules, sorted and de-duplicated as dbparse.py does,
/// including rules regulatory.db cannot hold (NO-INDOOR ones).
/// </summary>
public sealed class DbTxtCountry
{
    /// <summary>Creates a country; the rules are sorted and duplicates removed.</summary>
    public DbTxtCountry(string alpha2, DfsRegion dfsRegion, IEnumerable<DbTxtRule> rules, int line = 0)
    {
        if (!RegDomain.IsAlpha2(alpha2))
            throw new ArgumentException($"'{alpha2}' is not a two-character country code.", nameof(alpha2));
        ArgumentNullException.ThrowIfNull(rules);
        Alpha2 = alpha2;
        DfsRegion = dfsRegion;
        Rules = rules.Distinct().Order(DbTxtRuleOrder.Instance).ToArray();
        Line = line;
    }

    /// <summary>The country code.</summary>
    public string Alpha2 { get; }

    /// <summary>The DFS region.</summary>
    public DfsRegion DfsRegion { get; }

    /// <summary>The rules in dbparse.py order.</summary>
    public IReadOnlyList<DbTxtRule> Rules { get; }

    /// <summary>The line of the first <c>country</c> statement (0 when not parsed from text).</summary>
    public int Line { get; }

    /// <summary>
    /// The rules regulatory.db holds for this country: all but NO-INDOOR ones, which upstream's dbparse.py
    /// ignores ("so that kernel doesn't need special deal") — an outdoor-only rule cannot be expressed.
    /// </summary>
    public IEnumerable<DbTxtRule> BinaryRules => Rules.Where(r => (r.Flags & DbTxtRuleFlags.NoIndoor) == 0);
}
