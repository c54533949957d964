using System.Globalization;
using System.Text;

namespace L4Re.Regulatory.Rules;

/// <summary>
/// One regulatory rule as cfg80211 holds it (<c>struct ieee80211_reg_rule</c>): a frequency range in kHz,
/// the maximum bandwidth, the maximum EIRP in mBm, flags, the DFS CAC time and an optional WMM rule.
/// The maximum antenna gain is always 0 in regulatory.db and is not modelled.
/// </summary>
public readonly struct RegRule : IEquatable<RegRule>
{
    /// <summary>Creates a rule. Validity in the kernel's sense is checked by <see cref="IsValid"/>, not here.</summary>
    /// <param name="startKhz">Start of the range in kHz.</param>
    /// <param name="endKhz">End of the range in kHz.</param>
    /// <param name="maxBandwidthKhz">Largest channel bandwidth allowed in kHz.</param>
    /// <param name="maxEirpMbm">Maximum EIRP in mBm (100 × dBm).</param>
    /// <param name="flags">Rule flags.</param>
    /// <param name="cacTimeoutMs">DFS channel availability check time in ms (0: the default).</param>
    /// <param name="wmm">WMM limits, if any.</param>
    public RegRule(uint startKhz, uint endKhz, uint maxBandwidthKhz, int maxEirpMbm, RegRuleFlags flags = RegRuleFlags.None,
        uint cacTimeoutMs = 0, WmmRule? wmm = null)
    {
        StartKhz = startKhz;
        EndKhz = endKhz;
        MaxBandwidthKhz = maxBandwidthKhz;
        MaxEirpMbm = maxEirpMbm;
        Flags = flags;
        CacTimeoutMs = cacTimeoutMs;
        Wmm = wmm;
    }

    /// <summary>Start of the range in kHz (<c>freq_range.start_freq_khz</c>).</summary>
    public uint StartKhz { get; }

    /// <summary>End of the range in kHz (<c>freq_range.end_freq_khz</c>).</summary>
    public uint EndKhz { get; }

    /// <summary>Largest bandwidth in kHz (<c>freq_range.max_bandwidth_khz</c>).</summary>
    public uint MaxBandwidthKhz { get; }

    /// <summary>Maximum EIRP in mBm (<c>power_rule.max_eirp</c>).</summary>
    public int MaxEirpMbm { get; }

    /// <summary>Rule flags.</summary>
    public RegRuleFlags Flags { get; }

    /// <summary>DFS CAC time in ms (<c>dfs_cac_ms</c>); 0 means the default.</summary>
    public uint CacTimeoutMs { get; }

    /// <summary>The WMM rule, or null (<c>has_wmm</c> false).</summary>
    public WmmRule? Wmm { get; }

    /// <summary>
    /// The kernel's <c>is_valid_reg_rule()</c>: non-zero start and end, start before end, and a
    /// maximum bandwidth no larger than the range.
    /// </summary>
    public bool IsValid => StartKhz > 0 && EndKhz > StartKhz && MaxBandwidthKhz <= EndKhz - StartKhz;

    /// <summary>A copy with other flags.</summary>
    public RegRule WithFlags(RegRuleFlags flags) => new(StartKhz, EndKhz, MaxBandwidthKhz, MaxEirpMbm, flags, CacTimeoutMs, Wmm);

    /// <summary>A copy with another maximum EIRP.</summary>
    public RegRule WithMaxEirp(int maxEirpMbm) => new(StartKhz, EndKhz, MaxBandwidthKhz, maxEirpMbm, Flags, CacTimeoutMs, Wmm);

    /// <summary>A copy with another maximum bandwidth.</summary>
    public RegRule WithMaxBandwidth(uint maxBandwidthKhz) => new(StartKhz, EndKhz, maxBandwidthKhz, MaxEirpMbm, Flags, CacTimeoutMs, Wmm);

    /// <inheritdoc />
    public bool Equals(RegRule other) =>
        StartKhz == other.StartKhz && EndKhz == other.EndKhz && MaxBandwidthKhz == other.MaxBandwidthKhz &&
        MaxEirpMbm == other.MaxEirpMbm && Flags == other.Flags && CacTimeoutMs == other.CacTimeoutMs &&
        Equals(Wmm, other.Wmm);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is RegRule r && Equals(r);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(StartKhz, EndKhz, MaxBandwidthKhz, MaxEirpMbm, Flags, CacTimeoutMs, Wmm);

    /// <summary>Equality.</summary>
    public static bool operator ==(RegRule left, RegRule right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(RegRule left, RegRule right) => !left.Equals(right);

    /// <summary>The rule in the style of <c>iw reg get</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        var ci = CultureInfo.InvariantCulture;
        sb.Append(ci, $"({StartKhz / 1000.0:0.###} - {EndKhz / 1000.0:0.###} @ {MaxBandwidthKhz / 1000.0:0.###}), ({MaxEirpMbm / 100.0:0.##})");
        foreach (var name in RegRuleFlagNames.Names(Flags))
            sb.Append(", ").Append(name);
        if (CacTimeoutMs != 0)
            sb.Append(ci, $", (cac {CacTimeoutMs} ms)");
        if (Wmm is not null)
            sb.Append(", wmm");
        return sb.ToString();
    }
}
