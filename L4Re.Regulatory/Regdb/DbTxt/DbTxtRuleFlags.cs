namespace L4Re.Regulatory.Regdb.DbTxt;

/// <summary>
/// Every flag db.txt can carry, with the bit values of <c>enum nl80211_reg_rule_flags</c> that
/// wireless-regdb's dbparse.py uses (and that decide the sort order of rules).
/// </summary>
[Flags]
public enum DbTxtRuleFlags : uint
{
    /// <summary>No flags.</summary>
    None = 0,
    /// <summary><c>NO-OFDM</c>.</summary>
    NoOfdm = 1 << 0,
    /// <summary><c>NO-CCK</c>.</summary>
    NoCck = 1 << 1,
    /// <summary><c>NO-INDOOR</c> (outdoor only). regulatory.db cannot express it; the compiler leaves such rules out, as upstream does.</summary>
    NoIndoor = 1 << 2,
    /// <summary><c>NO-OUTDOOR</c>.</summary>
    NoOutdoor = 1 << 3,
    /// <summary><c>DFS</c>.</summary>
    Dfs = 1 << 4,
    /// <summary><c>PTP-ONLY</c>.</summary>
    PtpOnly = 1 << 5,
    /// <summary><c>PTMP-ONLY</c>.</summary>
    PtmpOnly = 1 << 6,
    /// <summary><c>NO-IR</c>.</summary>
    NoIr = 1 << 7,
    /// <summary><c>NO-HT40</c>.</summary>
    NoHt40 = 1 << 10,
    /// <summary><c>AUTO-BW</c>.</summary>
    AutoBw = 1 << 11,
}

/// <summary>Names and binary mapping of <see cref="DbTxtRuleFlags"/>.</summary>
public static class DbTxtFlagNames
{
    private static readonly (DbTxtRuleFlags Flag, string Name)[] Table =
    [
        (DbTxtRuleFlags.NoOfdm, "NO-OFDM"),
        (DbTxtRuleFlags.NoCck, "NO-CCK"),
        (DbTxtRuleFlags.NoIndoor, "NO-INDOOR"),
        (DbTxtRuleFlags.NoOutdoor, "NO-OUTDOOR"),
        (DbTxtRuleFlags.Dfs, "DFS"),
        (DbTxtRuleFlags.PtpOnly, "PTP-ONLY"),
        (DbTxtRuleFlags.PtmpOnly, "PTMP-ONLY"),
        (DbTxtRuleFlags.NoIr, "NO-IR"),
        (DbTxtRuleFlags.NoHt40, "NO-HT40"),
        (DbTxtRuleFlags.AutoBw, "AUTO-BW"),
    ];

    /// <summary>Flags that regulatory.db can store (db2fw.py's mask 0x899).</summary>
    public const DbTxtRuleFlags Encodable = DbTxtRuleFlags.NoOfdm | DbTxtRuleFlags.NoOutdoor | DbTxtRuleFlags.Dfs |
        DbTxtRuleFlags.NoIr | DbTxtRuleFlags.AutoBw;

    /// <summary>Parses one flag name; false if unknown.</summary>
    public static bool TryParse(string name, out DbTxtRuleFlags flag)
    {
        foreach (var (f, n) in Table)
            if (string.Equals(n, name, StringComparison.Ordinal))
            {
                flag = f;
                return true;
            }
        flag = DbTxtRuleFlags.None;
        return false;
    }

    /// <summary>The names of the set flags, in bit order.</summary>
    public static IEnumerable<string> Names(DbTxtRuleFlags flags)
    {
        foreach (var (f, n) in Table)
            if ((flags & f) != 0)
                yield return n;
    }

    /// <summary>The binary flags for the encodable subset (NO-OFDM 1, NO-OUTDOOR 2, DFS 4, NO-IR 8, AUTO-BW 16).</summary>
    public static Rules.RegRuleFlags ToBinary(DbTxtRuleFlags flags)
    {
        var b = Rules.RegRuleFlags.None;
        if ((flags & DbTxtRuleFlags.NoOfdm) != 0) b |= Rules.RegRuleFlags.NoOfdm;
        if ((flags & DbTxtRuleFlags.NoOutdoor) != 0) b |= Rules.RegRuleFlags.NoOutdoor;
        if ((flags & DbTxtRuleFlags.Dfs) != 0) b |= Rules.RegRuleFlags.Dfs;
        if ((flags & DbTxtRuleFlags.NoIr) != 0) b |= Rules.RegRuleFlags.NoIr;
        if ((flags & DbTxtRuleFlags.AutoBw) != 0) b |= Rules.RegRuleFlags.AutoBw;
        return b;
    }

    /// <summary>The db.txt flags for binary flags.</summary>
    public static DbTxtRuleFlags FromBinary(Rules.RegRuleFlags flags)
    {
        var t = DbTxtRuleFlags.None;
        if ((flags & Rules.RegRuleFlags.NoOfdm) != 0) t |= DbTxtRuleFlags.NoOfdm;
        if ((flags & Rules.RegRuleFlags.NoOutdoor) != 0) t |= DbTxtRuleFlags.NoOutdoor;
        if ((flags & Rules.RegRuleFlags.Dfs) != 0) t |= DbTxtRuleFlags.Dfs;
        if ((flags & Rules.RegRuleFlags.NoIr) != 0) t |= DbTxtRuleFlags.NoIr;
        if ((flags & Rules.RegRuleFlags.AutoBw) != 0) t |= DbTxtRuleFlags.AutoBw;
        return t;
    }
}
