namespace L4Re.Regulatory.Regdb.DbTxt;

/// <summary>How a db.txt power limit was written.</summary>
public enum PowerUnit
{
    /// <summary>A number of dBm, e.g. <c>(20)</c>.</summary>
    Dbm,
    /// <summary>A number of mW, e.g. <c>(100 mW)</c>; converted as 10·log10(mW).</summary>
    MilliWatt,
    /// <summary><c>(N/A)</c>: no limit given, stored as 0 dBm as dbparse.py does.</summary>
    NotApplicable,
}

/// <summary>A power limit as written in db.txt. Two limits are equal when their dBm values are equal.</summary>
public readonly struct DbTxtPower : IEquatable<DbTxtPower>
{
    /// <summary>Creates a limit.</summary>
    /// <param name="value">The written number (ignored for <see cref="PowerUnit.NotApplicable"/>).</param>
    /// <param name="unit">How it was written.</param>
    public DbTxtPower(double value, PowerUnit unit)
    {
        Value = unit == PowerUnit.NotApplicable ? 0 : value;
        Unit = unit;
    }

    /// <summary>The written number.</summary>
    public double Value { get; }

    /// <summary>How it was written.</summary>
    public PowerUnit Unit { get; }

    /// <summary>The limit in dBm as dbparse.py computes it (a double, before any truncation).</summary>
    public double Dbm => Unit switch
    {
        PowerUnit.MilliWatt => 10.0 * Math.Log10(Value),
        PowerUnit.NotApplicable => 0.0,
        _ => Value,
    };

    /// <summary>The limit in mBm as db2fw.py stores it: <c>int(dBm * 100)</c>, truncated.</summary>
    public int Mbm => (int)(Dbm * 100.0);

    /// <inheritdoc />
    public bool Equals(DbTxtPower other) => Dbm.Equals(other.Dbm);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is DbTxtPower p && Equals(p);

    /// <inheritdoc />
    public override int GetHashCode() => Dbm.GetHashCode();

    /// <summary>Equality.</summary>
    public static bool operator ==(DbTxtPower left, DbTxtPower right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(DbTxtPower left, DbTxtPower right) => !left.Equals(right);
}
