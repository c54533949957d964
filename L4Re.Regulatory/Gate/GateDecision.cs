using L4Re.Regulatory.Rules;

namespace L4Re.Regulatory.Gate;

/// <summary>The gate's decision on one <see cref="RadioRequest"/>.</summary>
public readonly struct GateDecision
{
    internal GateDecision(GateVerdict verdict, GateReason reason, ChannelDefinition channel, int grantedTxPowerMbm,
        int grantedEirpMbm, int eirpLimitMbm, GateRestrictions restrictions, uint subchannelKhz)
    {
        Verdict = verdict;
        Reason = reason;
        Channel = channel;
        GrantedTxPowerMbm = grantedTxPowerMbm;
        GrantedEirpMbm = grantedEirpMbm;
        EirpLimitMbm = eirpLimitMbm;
        Restrictions = restrictions;
        SubchannelKhz = subchannelKhz;
    }

    /// <summary>Accept, clamp or refuse.</summary>
    public GateVerdict Verdict { get; }

    /// <summary>Why.</summary>
    public GateReason Reason { get; }

    /// <summary>The reason as text.</summary>
    public string ReasonText => GateReasonText.Of(Reason);

    /// <summary>Whether the radio may be configured (accept or clamp).</summary>
    public bool IsAllowed => Verdict != GateVerdict.Refuse;

    /// <summary>The channel definition granted (default when the request did not form one).</summary>
    public ChannelDefinition Channel { get; }

    /// <summary>Granted conducted TX power in mBm (0 when refused).</summary>
    public int GrantedTxPowerMbm { get; }

    /// <summary>Granted EIRP in mBm: granted TX power + effective antenna gain (0 when refused).</summary>
    public int GrantedEirpMbm { get; }

    /// <summary>The regulatory EIRP limit over all subchannels in mBm (whole dBm, as cfg80211 truncates); 0 when refused before it was known.</summary>
    public int EirpLimitMbm { get; }

    /// <summary>Conditions the trusted driver must apply.</summary>
    public GateRestrictions Restrictions { get; }

    /// <summary>The 20 MHz subchannel a refusal is about, in kHz (0 when not about one).</summary>
    public uint SubchannelKhz { get; }

    /// <inheritdoc />
    public override string ToString() =>
        $"{Verdict}: {ReasonText} ({Channel}, EIRP {GrantedEirpMbm / 100.0:0.##} dBm)";
}
