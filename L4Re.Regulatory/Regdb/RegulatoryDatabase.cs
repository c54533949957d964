using L4Re.Regulatory.Rules;

namespace L4Re.Regulatory.Regdb;

/// <summary>
/// A loaded wireless regulatory database: the regulatory domain of every country, in the order of
/// regulatory.db's country index (sorted by alpha2 when compiled). Immutable.
/// </summary>
public sealed class RegulatoryDatabase
{
    private readonly Dictionary<string, RegDomain> _byAlpha2;

    /// <summary>Creates a database; country codes must be unique.</summary>
    public RegulatoryDatabase(IEnumerable<RegDomain> countries)
    {
        ArgumentNullException.ThrowIfNull(countries);
        var list = countries.ToArray();
        _byAlpha2 = new Dictionary<string, RegDomain>(list.Length, StringComparer.Ordinal);
        foreach (var c in list)
            if (!_byAlpha2.TryAdd(c.Alpha2, c))
                throw new ArgumentException($"Country {c.Alpha2} appears twice.", nameof(countries));
        Countries = list;
    }

    /// <summary>The countries in index order.</summary>
    public IReadOnlyList<RegDomain> Countries { get; }

    /// <summary>Looks a country up by its code (the kernel's <c>query_regdb()</c>).</summary>
    public bool TryGetCountry(string alpha2, out RegDomain domain) =>
        _byAlpha2.TryGetValue(alpha2, out domain!);

    /// <summary>The country with code <paramref name="alpha2"/>; throws <see cref="KeyNotFoundException"/> if absent.</summary>
    public RegDomain this[string alpha2] =>
        TryGetCountry(alpha2, out var d) ? d : throw new KeyNotFoundException($"Country {alpha2} is not in the database.");

    /// <summary>Reads and validates a regulatory.db image (no signature check; see <see cref="Signature.RegulatoryDbLoader"/>).</summary>
    public static RegulatoryDatabase Read(ReadOnlySpan<byte> image) => RegulatoryDbReader.Read(image);

    /// <summary>Writes the database as regulatory.db version 20.</summary>
    public byte[] ToRegulatoryDb() => RegulatoryDbWriter.Write(this);
}
