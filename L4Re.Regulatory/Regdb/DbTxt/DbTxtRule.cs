using L4Re.Regulatory.Rules;

namespace L4Re.Regulatory.Regdb.DbTxt;

/// <summary>
/// One rule of a db.txt country, with the values as written (MHz and dBm as doubles), which is what
/// dbparse.py compares, sorts and de-duplicates on. Equality is dbparse.py's <c>Permission</c> equality:
/// range, bandwidth, power in dBm, all flags and the WMM rule's values.
/// </summary>
public sealed class DbTxtRule : IEquatable<DbTxtRule>
{
    /// <summary>Creates a rule.</summary>
    public DbTxtRule(double startMhz, double endMhz, double maxBandwidthMhz, DbTxtPower power, DbTxtRuleFlags flags, WmmRule? wmm)
    {
        StartMhz = startMhz;
        EndMhz = endMhz;
        MaxBandwidthMhz = maxBandwidthMhz;
        Power = power;
        Flags = flags;
        Wmm = wmm;
    }

    /// <summary>Start of the range in MHz.</summary>
    public double StartMhz { get; }

    /// <summary>End of the range in MHz.</summary>
    public double EndMhz { get; }

    /// <summary>Largest bandwidth in MHz.</summary>
    public double MaxBandwidthMhz { get; }

    /// <summary>The power limit.</summary>
    public DbTxtPower Power { get; }

    /// <summary>All flags.</summary>
    public DbTxtRuleFlags Flags { get; }

    /// <summary>The WMM rule the rule refers to, or null.</summary>
    public WmmRule? Wmm { get; }

    /// <summary>The range start in kHz as db2fw.py stores it (<c>int(MHz * 1000)</c>).</summary>
    public uint StartKhz => ToKhz(StartMhz);

    /// <summary>The range end in kHz as db2fw.py stores it.</summary>
    public uint EndKhz => ToKhz(EndMhz);

    /// <summary>The bandwidth in kHz as db2fw.py stores it.</summary>
    public uint MaxBandwidthKhz => ToKhz(MaxBandwidthMhz);

    /// <summary>The binary rule (flags outside <see cref="DbTxtFlagNames.Encodable"/> are dropped).</summary>
    public RegRule ToRegRule() =>
        new(StartKhz, EndKhz, MaxBandwidthKhz, Power.Mbm, DbTxtFlagNames.ToBinary(Flags), 0, Wmm);

    /// <summary>db2fw.py's truncating MHz → kHz conversion; values outside 0..2^32−1 kHz are clamped (the parser rejects them).</summary>
    public static uint ToKhz(double mhz)
    {
        var khz = mhz * 1000.0;
        return khz <= 0 ? 0 : khz >= uint.MaxValue ? uint.MaxValue : (uint)khz;
    }

    /// <inheritdoc />
    public bool Equals(DbTxtRule? other) =>
        other is not null && StartMhz.Equals(other.StartMhz) && EndMhz.Equals(other.EndMhz) &&
        MaxBandwidthMhz.Equals(other.MaxBandwidthMhz) && Power.Equals(other.Power) && Flags == other.Flags &&
        Equals(Wmm, other.Wmm);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as DbTxtRule);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(StartMhz, EndMhz, MaxBandwidthMhz, Power, Flags, Wmm);
}

/// <summary>
/// dbparse.py's <c>Permission</c> order: (start, end, max bandwidth), (antenna gain 0, EIRP in dBm),
/// flags, WMM rule (absent first).
/// </summary>
public sealed class DbTxtRuleOrder : IComparer<DbTxtRule>
{
    /// <summary>The comparer.</summary>
    public static readonly DbTxtRuleOrder Instance = new();

    private DbTxtRuleOrder()
    {
    }

    /// <inheritdoc />
    public int Compare(DbTxtRule? x, DbTxtRule? y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var c = x.StartMhz.CompareTo(y.StartMhz);
        if (c == 0) c = x.EndMhz.CompareTo(y.EndMhz);
        if (c == 0) c = x.MaxBandwidthMhz.CompareTo(y.MaxBandwidthMhz);
        if (c == 0) c = x.Power.Dbm.CompareTo(y.Power.Dbm);
        if (c == 0) c = x.Flags.CompareTo(y.Flags);
        if (c == 0) c = WmmRule.Compare(x.Wmm, y.Wmm);
        return c;
    }
}
