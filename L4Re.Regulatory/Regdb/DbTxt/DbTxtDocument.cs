using L4Re.Regulatory.Rules;

namespace L4Re.Regulatory.Regdb.DbTxt;

/// <summary>
/// A parsed db.txt: the named WMM rules and the countries sorted by code. Produced by
/// <see cref="DbTxtParser"/>, written by <see cref="DbTxtWriter"/>, compiled by <see cref="RegulatoryDbCompiler"/>.
/// </summary>
public sealed class DbTxtDocument
{
    /// <summary>Creates a document.</summary>
    /// <param name="wmmRules">WMM rules by region name, in definition order.</param>
    /// <param name="countries">The countries; codes must be unique.</param>
    public DbTxtDocument(IEnumerable<KeyValuePair<string, WmmRule>> wmmRules, IEnumerable<DbTxtCountry> countries)
    {
        ArgumentNullException.ThrowIfNull(wmmRules);
        ArgumentNullException.ThrowIfNull(countries);
        WmmRules = wmmRules.ToArray();
        var list = countries.OrderBy(c => c.Alpha2, StringComparer.Ordinal).ToArray();
        for (var i = 1; i < list.Length; i++)
            if (list[i].Alpha2 == list[i - 1].Alpha2)
                throw new ArgumentException($"Country {list[i].Alpha2} appears twice.", nameof(countries));
        Countries = list;
    }

    /// <summary>WMM rules by region name, in definition order.</summary>
    public IReadOnlyList<KeyValuePair<string, WmmRule>> WmmRules { get; }

    /// <summary>The countries sorted by code.</summary>
    public IReadOnlyList<DbTxtCountry> Countries { get; }

    /// <summary>The country with code <paramref name="alpha2"/>, or null.</summary>
    public DbTxtCountry? Find(string alpha2) => Countries.FirstOrDefault(c => c.Alpha2 == alpha2);
}
