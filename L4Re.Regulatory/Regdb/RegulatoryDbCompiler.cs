using L4Re.Regulatory.Regdb.DbTxt;
using L4Re.Regulatory.Rules;

namespace L4Re.Regulatory.Regdb;

/// <summary>
/// Compiles db.txt to regulatory.db version 20 the way wireless-regdb's db2fw.py does, so that the output
/// for upstream's db.txt is byte-identical to the regulatory.db upstream ships: NO-INDOOR rules are left out
/// (dbparse.py ignores them), rules and collections are de-duplicated and sorted on the source values
/// (MHz and dBm doubles), kHz and mBm are truncated (<c>int(x * 1000)</c>, <c>int(x * 100)</c>).
/// </summary>
public static class RegulatoryDbCompiler
{
    /// <summary>Parses and compiles db.txt text.</summary>
    /// <exception cref="RegulatoryDataException">The text is invalid or cannot be expressed in regulatory.db.</exception>
    public static byte[] Compile(string dbTxt) => Compile(DbTxtParser.Parse(dbTxt));

    /// <summary>Compiles a parsed document.</summary>
    /// <exception cref="RegulatoryDataException">A rule cannot be expressed in regulatory.db.</exception>
    public static byte[] Compile(DbTxtDocument document)
    {
        var countries = Prepare(document);
        try
        {
            return RegulatoryDbLayout.Write(countries, DbTxtRuleOrder.Instance, EqualityComparer<DbTxtRule>.Default, r => r.ToRegRule());
        }
        catch (ArgumentException e)
        {
            throw new RegulatoryDataException(RegulatoryDataSource.DbTxt, e.Message, innerException: e);
        }
    }

    /// <summary>
    /// The database the compiled file decodes to: each country's rules as regulatory.db holds them, in the
    /// same order. Useful to compare a db.txt with a binary without going through bytes.
    /// </summary>
    /// <exception cref="RegulatoryDataException">A rule cannot be expressed in regulatory.db.</exception>
    public static RegulatoryDatabase ToDatabase(DbTxtDocument document) =>
        new(Prepare(document).Select(c => new RegDomain(c.Alpha2, c.Dfs, c.Rules.Select(r => r.ToRegRule()))));

    private static RegulatoryDbLayout.Country<DbTxtRule>[] Prepare(DbTxtDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var result = new List<RegulatoryDbLayout.Country<DbTxtRule>>();
        foreach (var c in document.Countries)
        {
            var rules = c.BinaryRules.ToArray();
            foreach (var r in rules)
            {
                // db2fw.py asserts that only the binary flags remain (mask 0x899).
                var extra = r.Flags & ~(DbTxtFlagNames.Encodable | DbTxtRuleFlags.NoIndoor);
                if (extra != 0)
                    throw new RegulatoryDataException(RegulatoryDataSource.DbTxt,
                        $"country {c.Alpha2}: flag {string.Join(", ", DbTxtFlagNames.Names(extra))} cannot be stored in regulatory.db", c.Line);
            }
            if (rules.Length is 0 or > RegDomain.MaxRules)
                throw new RegulatoryDataException(RegulatoryDataSource.DbTxt,
                    $"country {c.Alpha2} has {rules.Length} rules regulatory.db can hold (1..{RegDomain.MaxRules} needed)", c.Line);
            result.Add(new(c.Alpha2, c.DfsRegion, rules));
        }
        return [.. result];
    }
}
