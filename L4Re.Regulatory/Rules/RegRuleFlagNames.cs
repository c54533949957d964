namespace L4Re.Regulatory.Rules;

/// <summary>The db.txt spellings of <see cref="RegRuleFlags"/>, in bit order.</summary>
public static class RegRuleFlagNames
{
    private static readonly (RegRuleFlags Flag, string Name)[] Table =
    [
        (RegRuleFlags.NoOfdm, "NO-OFDM"),
        (RegRuleFlags.NoOutdoor, "NO-OUTDOOR"),
        (RegRuleFlags.Dfs, "DFS"),
        (RegRuleFlags.NoIr, "NO-IR"),
        (RegRuleFlags.AutoBw, "AUTO-BW"),
    ];

    /// <summary>All binary flags, in bit order.</summary>
    public const RegRuleFlags All = RegRuleFlags.NoOfdm | RegRuleFlags.NoOutdoor | RegRuleFlags.Dfs | RegRuleFlags.NoIr | RegRuleFlags.AutoBw;

    /// <summary>The names of the flags set in <paramref name="flags"/>, in bit order.</summary>
    public static IEnumerable<string> Names(RegRuleFlags flags)
    {
        foreach (var (flag, name) in Table)
            if ((flags & flag) != 0)
                yield return name;
    }

    /// <summary>The db.txt name of one flag.</summary>
    public static string Name(RegRuleFlags flag) =>
        Array.Find(Table, t => t.Flag == flag).Name ?? throw new ArgumentOutOfRangeException(nameof(flag), flag, "Not a single binary flag.");
}
