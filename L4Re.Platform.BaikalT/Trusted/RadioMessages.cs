using L4Re.Regulatory.Gate;
using L4Re.Regulatory.Rules;

namespace L4Re.Platform.BaikalT.Trusted;

/// <summary>The trusted component's answer to a configuration request: the gate's verdict and what the radio was set to.</summary>
/// <param name="Verdict">Accept, clamp or refuse.</param>
/// <param name="Reason">Why.</param>
/// <param name="ControlKhz">Granted control channel (0 when refused before a channel was formed).</param>
/// <param name="CenterKhz">Granted channel centre.</param>
/// <param name="WidthMhz">Granted width.</param>
/// <param name="TxPowerMbm">Granted conducted TX power (0 when refused).</param>
/// <param name="EirpMbm">Granted EIRP.</param>
/// <param name="EirpLimitMbm">The regulatory EIRP limit of the channel.</param>
/// <param name="Restrictions">Conditions the driver applies.</param>
/// <param name="SubchannelKhz">The 20 MHz subchannel a refusal is about.</param>
public readonly record struct RadioDecision(GateVerdict Verdict, GateReason Reason, uint ControlKhz, uint CenterKhz, int WidthMhz,
    int TxPowerMbm, int EirpMbm, int EirpLimitMbm, GateRestrictions Restrictions, uint SubchannelKhz)
{
    /// <summary>From a gate decision.</summary>
    public static RadioDecision From(in GateDecision d) =>
        new(d.Verdict, d.Reason, d.Channel.ControlKhz, d.Channel.CenterKhz, d.Channel.WidthMhz, d.GrantedTxPowerMbm, d.GrantedEirpMbm,
            d.EirpLimitMbm, d.Restrictions, d.SubchannelKhz);

    /// <inheritdoc />
    public override string ToString() => Verdict == GateVerdict.Refuse
        ? $"refuse: {GateReasonText.Of(Reason)}"
        : $"{Verdict.ToString().ToLowerInvariant()} {ControlKhz / 1000.0:0.###}/{WidthMhz} MHz, TX {TxPowerMbm / 100.0:0.00} dBm, EIRP {EirpMbm / 100.0:0.00} dBm (limit {EirpLimitMbm / 100.0:0.##} dBm): {GateReasonText.Of(Reason)}";
}

/// <summary>Status flags of the radio.</summary>
[Flags]
public enum RadioStatusFlags : ulong
{
    /// <summary>Nothing.</summary>
    None = 0,
    /// <summary>The radio is on.</summary>
    Enabled = 1,
    /// <summary>The transmitter is on.</summary>
    Transmitting = 2,
    /// <summary>Radar detection is on.</summary>
    RadarDetect = 4,
    /// <summary>A CAC runs.</summary>
    CacRunning = 8,
    /// <summary>Radar was detected since boot.</summary>
    RadarSeen = 16,
}

/// <summary>The radio's status as the trusted component reports it.</summary>
/// <param name="Flags">Flags.</param>
/// <param name="Mode">The NIC's mode register.</param>
/// <param name="ControlKhz">Control channel.</param>
/// <param name="CenterKhz">Channel centre.</param>
/// <param name="WidthMhz">Width.</param>
/// <param name="TxPowerMbm">Conducted TX power.</param>
/// <param name="AntennaGainMbi">Antenna gain applied.</param>
/// <param name="Country">The fixed country.</param>
/// <param name="CacEndsAtNs">End of the running CAC (virtual ns), 0 when none.</param>
/// <param name="RadarKhz">Centre of the last channel radar was detected on, 0 when none.</param>
/// <param name="RadarBlockedUntilNs">End of that channel's non-occupancy period, 0 when over.</param>
/// <param name="Accepted">Requests accepted.</param>
/// <param name="Clamped">Requests clamped.</param>
/// <param name="Refused">Requests refused.</param>
/// <param name="NowNs">Virtual time of the answer.</param>
public readonly record struct RadioStatus(RadioStatusFlags Flags, Wifi.NicMode Mode, uint ControlKhz, uint CenterKhz, int WidthMhz,
    int TxPowerMbm, int AntennaGainMbi, string Country, long CacEndsAtNs, uint RadarKhz, long RadarBlockedUntilNs,
    long Accepted, long Clamped, long Refused, long NowNs);

/// <summary>The radio's fixed facts.</summary>
/// <param name="Country">Country (fixed by the trusted side).</param>
/// <param name="DfsRegion">DFS region of the country.</param>
/// <param name="MaxWidthMhz">Widest channel.</param>
/// <param name="MaxTxPowerMbm">Highest conducted TX power.</param>
/// <param name="AntennaGainMbi">Installed antenna gain.</param>
/// <param name="Modes">Supported modes.</param>
/// <param name="Channels">Number of 20 MHz channels.</param>
public readonly record struct RadioInfo(string Country, DfsRegion DfsRegion, int MaxWidthMhz, int MaxTxPowerMbm, int AntennaGainMbi,
    OperatingModes Modes, int Channels);
