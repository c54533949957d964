using System.Collections.Immutable;

namespace L4Re.Regulatory.Rules;

/// <summary>
/// A regulatory domain (<c>struct ieee80211_regdomain</c>): the rules of one country (or of the world
/// domain <c>00</c>, or of an intersection <c>98</c>) in the order the lookup walks them, and the DFS region.
/// </summary>
public sealed class RegDomain
{
    /// <summary>The kernel's <c>NL80211_MAX_SUPP_REG_RULES</c>.</summary>
    public const int MaxRules = 128;

    /// <summary>Creates a domain; every rule must be valid in the kernel's sense (<c>is_valid_rd()</c>).</summary>
    /// <param name="alpha2">Two ASCII letters or digits: an ISO 3166 alpha-2 code, <c>00</c> (world) or <c>98</c> (intersection).</param>
    /// <param name="dfsRegion">The DFS region.</param>
    /// <param name="rules">The rules, 1 to <see cref="MaxRules"/>, in lookup order.</param>
    public RegDomain(string alpha2, DfsRegion dfsRegion, IEnumerable<RegRule> rules)
    {
        if (!IsAlpha2(alpha2))
            throw new ArgumentException($"'{alpha2}' is not a two-character country code.", nameof(alpha2));
        if (!Enum.IsDefined(dfsRegion))
            throw new ArgumentOutOfRangeException(nameof(dfsRegion), dfsRegion, "Unknown DFS region.");
        ArgumentNullException.ThrowIfNull(rules);
        var list = rules.ToImmutableArray();
        if (list.Length is 0 or > MaxRules)
            throw new ArgumentException($"A regulatory domain has 1 to {MaxRules} rules, not {list.Length}.", nameof(rules));
        foreach (var r in list)
            if (!r.IsValid)
                throw new ArgumentException($"Invalid rule {r}: needs 0 < start < end and max bandwidth <= end - start.", nameof(rules));
        Alpha2 = alpha2;
        DfsRegion = dfsRegion;
        Rules = list;
    }

    /// <summary>The country code.</summary>
    public string Alpha2 { get; }

    /// <summary>The DFS region.</summary>
    public DfsRegion DfsRegion { get; }

    /// <summary>The rules in lookup order.</summary>
    public ImmutableArray<RegRule> Rules { get; }

    /// <summary>Whether this is the world domain <c>00</c>.</summary>
    public bool IsWorld => Alpha2 == "00";

    /// <summary>Whether two domains have the same DFS region and the same rules in the same order.</summary>
    public bool SameRulesAs(RegDomain other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return DfsRegion == other.DfsRegion && Rules.AsSpan().SequenceEqual(other.Rules.AsSpan());
    }

    /// <summary>Whether <paramref name="alpha2"/> is two ASCII upper-case letters or digits.</summary>
    public static bool IsAlpha2(string? alpha2) =>
        alpha2 is { Length: 2 } && IsCodeChar(alpha2[0]) && IsCodeChar(alpha2[1]);

    private static bool IsCodeChar(char c) => c is (>= 'A' and <= 'Z') or (>= '0' and <= '9');

    /// <inheritdoc />
    public override string ToString() => $"country {Alpha2}: {DfsRegion} ({Rules.Length} rules)";
}
