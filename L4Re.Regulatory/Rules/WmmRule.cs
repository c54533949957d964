namespace L4Re.Regulatory.Rules;

/// <summary>
/// A WMM rule (<c>struct ieee80211_wmm_rule</c>): parameters for the four access categories
/// (VO, VI, BE, BK) of clients and of access points. Immutable; equality is by value.
/// </summary>
public sealed class WmmRule : IEquatable<WmmRule>, IComparable<WmmRule>
{
    /// <summary>Number of access categories (<c>IEEE80211_NUM_ACS</c>).</summary>
    public const int AccessCategories = 4;

    /// <summary>The names db.txt uses for the eight entries, in regulatory.db order.</summary>
    public static readonly IReadOnlyList<string> EntryNames = ["vo_c", "vi_c", "be_c", "bk_c", "vo_ap", "vi_ap", "be_ap", "bk_ap"];

    private readonly WmmAc[] _entries;

    /// <summary>Creates a rule from the client and AP parameters, each in VO, VI, BE, BK order.</summary>
    public WmmRule(IReadOnlyList<WmmAc> client, IReadOnlyList<WmmAc> ap)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(ap);
        if (client.Count != AccessCategories || ap.Count != AccessCategories)
            throw new ArgumentException("A WMM rule has exactly four client and four AP access categories.");
        _entries = [.. client, .. ap];
    }

    /// <summary>Client parameters, VO, VI, BE, BK.</summary>
    public ReadOnlySpan<WmmAc> Client => _entries.AsSpan(0, AccessCategories);

    /// <summary>Access-point parameters, VO, VI, BE, BK.</summary>
    public ReadOnlySpan<WmmAc> Ap => _entries.AsSpan(AccessCategories, AccessCategories);

    /// <summary>All eight entries in regulatory.db order (client VO..BK, then AP VO..BK).</summary>
    public ReadOnlySpan<WmmAc> Entries => _entries;

    /// <inheritdoc />
    public bool Equals(WmmRule? other) => other is not null && Entries.SequenceEqual(other.Entries);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as WmmRule);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var e in _entries)
            hash.Add(e);
        return hash.ToHashCode();
    }

    /// <summary>
    /// Orders rules like wireless-regdb's dbparse.py (<c>WmmRule._as_tuple</c>): entry by entry,
    /// each as (cw_min, cw_max, aifsn, cot).
    /// </summary>
    public int CompareTo(WmmRule? other)
    {
        if (other is null)
            return 1;
        for (var i = 0; i < _entries.Length; i++)
        {
            var a = _entries[i];
            var b = other._entries[i];
            var c = a.CwMin.CompareTo(b.CwMin);
            if (c == 0) c = a.CwMax.CompareTo(b.CwMax);
            if (c == 0) c = a.Aifsn.CompareTo(b.Aifsn);
            if (c == 0) c = a.CotMilliseconds.CompareTo(b.CotMilliseconds);
            if (c != 0)
                return c;
        }
        return 0;
    }

    /// <summary>Compares two possibly absent rules; an absent rule sorts first (as <c>None</c> does in dbparse.py).</summary>
    public static int Compare(WmmRule? a, WmmRule? b) =>
        a is null ? (b is null ? 0 : -1) : a.CompareTo(b);
}
