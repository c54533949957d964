using L4Re.Regulatory.Rules;

namespace L4Re.Regulatory.Regdb;

/// <summary>
/// Writes a <see cref="RegulatoryDatabase"/> as regulatory.db version 20 in the layout of wireless-regdb's
/// db2fw.py (see <see cref="RegulatoryDbLayout"/>). Each country keeps its rule order (the lookup is
/// first-fit, so order matters); rules and collections are shared and sorted by their binary values.
/// </summary>
public static class RegulatoryDbWriter
{
    /// <summary>Encodes <paramref name="database"/>.</summary>
    /// <exception cref="ArgumentException">A value does not fit the format (EIRP above 65535 mBm, CAC not in whole seconds, file above 256 KiB).</exception>
    public static byte[] Write(RegulatoryDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        var countries = database.Countries
            .Select(c => new RegulatoryDbLayout.Country<RegRule>(c.Alpha2, c.DfsRegion, c.Rules))
            .ToArray();
        return RegulatoryDbLayout.Write(countries, RegRuleOrder.Instance, EqualityComparer<RegRule>.Default, r => r);
    }
}

/// <summary>
/// The order db2fw.py gives rules, on binary values: start, end, max bandwidth, EIRP, flags, WMM rule
/// (absent first), then CAC time.
/// </summary>
public sealed class RegRuleOrder : IComparer<RegRule>
{
    /// <summary>The comparer.</summary>
    public static readonly RegRuleOrder Instance = new();

    private RegRuleOrder()
    {
    }

    /// <inheritdoc />
    public int Compare(RegRule x, RegRule y)
    {
        var c = x.StartKhz.CompareTo(y.StartKhz);
        if (c == 0) c = x.EndKhz.CompareTo(y.EndKhz);
        if (c == 0) c = x.MaxBandwidthKhz.CompareTo(y.MaxBandwidthKhz);
        if (c == 0) c = x.MaxEirpMbm.CompareTo(y.MaxEirpMbm);
        if (c == 0) c = ((byte)x.Flags).CompareTo((byte)y.Flags);
        if (c == 0) c = WmmRule.Compare(x.Wmm, y.Wmm);
        if (c == 0) c = x.CacTimeoutMs.CompareTo(y.CacTimeoutMs);
        return c;
    }
}
