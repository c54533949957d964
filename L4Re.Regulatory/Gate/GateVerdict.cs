namespace L4Re.Regulatory.Gate;

/// <summary>The gate's answer.</summary>
public enum GateVerdict : byte
{
    /// <summary>The request is within the rules as asked.</summary>
    Accept = 0,
    /// <summary>Allowed with the TX power lowered to the limit; nothing else changed.</summary>
    Clamp = 1,
    /// <summary>Not allowed.</summary>
    Refuse = 2,
}

/// <summary>Why the gate answered as it did.</summary>
public enum GateReason : byte
{
    /// <summary>Within the rules.</summary>
    Ok = 0,
    /// <summary>TX power lowered so that TX power + antenna gain meets the regulatory EIRP limit.</summary>
    PowerClampedToRegulatoryLimit,
    /// <summary>TX power lowered to the interface's maximum.</summary>
    PowerClampedToInterfaceLimit,
    /// <summary>A field is out of range (width, mode, power, gain, channel number).</summary>
    InvalidRequest,
    /// <summary>Control channel, width and centre do not form a valid channel.</summary>
    InvalidChannelDefinition,
    /// <summary>The interface has no such channel.</summary>
    ChannelNotSupported,
    /// <summary>The interface does not support the width.</summary>
    WidthNotSupported,
    /// <summary>The interface does not support the mode.</summary>
    ModeNotSupported,
    /// <summary>No rule of the country allows a 20 MHz subchannel.</summary>
    NoRule,
    /// <summary>The rules allow only a narrower channel on a subchannel.</summary>
    WidthNotAllowed,
    /// <summary>NO-OFDM: only 20 MHz 802.11b (CCK) is allowed.</summary>
    NoOfdm,
    /// <summary>NO-OUTDOOR: the subchannel may only be used indoors.</summary>
    IndoorOnly,
    /// <summary>NO-IR: initiating radiation (AP, mesh, IBSS) is not allowed.</summary>
    NoInitiatingRadiation,
    /// <summary>DFS: the channel availability check has not been completed.</summary>
    CacRequired,
    /// <summary>DFS: radar was detected, the channel is in its non-occupancy period.</summary>
    RadarNonOccupancy,
    /// <summary>The regulatory limit is below the interface's minimum TX power.</summary>
    PowerBelowInterfaceMinimum,
    /// <summary>The untrusted side asked to change the country, which only the trusted side sets.</summary>
    CountryFixed,
}

/// <summary>Conditions attached to an accepted or clamped decision that the trusted driver must apply.</summary>
[Flags]
public enum GateRestrictions : byte
{
    /// <summary>None.</summary>
    None = 0,
    /// <summary>NO-OFDM: 802.11b (CCK) rates only.</summary>
    CckOnly = 1,
    /// <summary>Station on a NO-IR or DFS channel: passive scanning only, transmit only after hearing the AP.</summary>
    PassiveOnly = 2,
    /// <summary>DFS: in-service radar monitoring required; on radar leave within 10 s.</summary>
    RadarMonitoring = 4,
}

/// <summary>Human-readable texts of <see cref="GateReason"/>.</summary>
public static class GateReasonText
{
    private static readonly string[] Texts =
    [
        "within the rules",
        "TX power lowered to the regulatory EIRP limit",
        "TX power lowered to the interface maximum",
        "invalid request",
        "not a valid channel for this width",
        "channel not supported by the interface",
        "width not supported by the interface",
        "mode not supported by the interface",
        "no regulatory rule allows this channel",
        "the rules allow only a narrower channel here",
        "NO-OFDM: only 20 MHz 802.11b allowed",
        "NO-OUTDOOR: indoor use only",
        "NO-IR: initiating radiation not allowed",
        "DFS: channel availability check not completed",
        "DFS: radar detected, non-occupancy period",
        "regulatory limit below the interface minimum power",
        "the country is fixed by the trusted side",
    ];

    /// <summary>The text for <paramref name="reason"/> (no allocation).</summary>
    public static string Of(GateReason reason) => (int)reason < Texts.Length ? Texts[(int)reason] : "unknown";

    /// <summary>Number of reasons.</summary>
    public static int Count => Texts.Length;
}
