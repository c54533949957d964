namespace L4Re.Regulatory.Gate;

/// <summary>What the gate does with NO-IR on a DFS channel once the CAC has passed.</summary>
public enum NoIrAfterCacPolicy : byte
{
    /// <summary>
    /// The default: NO-IR is never waived. A completed CAC satisfies the DFS requirement and nothing else; a
    /// subchannel whose rule says NO-IR never carries initiated radiation (AP, mesh, IBSS). This is narrower than
    /// cfg80211 and keeps the gate monotonic: adding DFS to a rule can never allow more.
    /// </summary>
    Strict = 0,
    /// <summary>
    /// cfg80211's behaviour (<c>_cfg80211_reg_can_beacon()</c>): when the channel needs DFS and every radar
    /// subchannel is AVAILABLE, NO-IR is ignored on all subchannels.
    /// </summary>
    Cfg80211Waiver = 1,
}

/// <summary>Options of the policy gate.</summary>
public sealed class GateOptions
{
    /// <summary>The NO-IR-after-CAC policy; <see cref="NoIrAfterCacPolicy.Strict"/> by default.</summary>
    public NoIrAfterCacPolicy NoIrAfterCac { get; init; } = NoIrAfterCacPolicy.Strict;
}
