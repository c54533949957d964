using Microsoft.Extensions.Logging;

namespace L4Re.Regulatory.Gate;

/// <summary>Log messages of the policy gate (source-generated: nothing allocated when the level is off).</summary>
internal static partial class GateLog
{
    [LoggerMessage(EventId = 200, Level = LogLevel.Information,
        Message = "Gate {Country}: accept {Mode} {ControlKhz} kHz/{WidthMhz} MHz, EIRP {EirpMbm} mBm (limit {LimitMbm} mBm)")]
    public static partial void Accepted(ILogger logger, string country, OperatingMode mode, uint controlKhz, int widthMhz, int eirpMbm, int limitMbm);

    [LoggerMessage(EventId = 201, Level = LogLevel.Information,
        Message = "Gate {Country}: clamp {Mode} {ControlKhz} kHz/{WidthMhz} MHz, TX {RequestedMbm} -> {GrantedMbm} mBm: {Reason}")]
    public static partial void Clamped(ILogger logger, string country, OperatingMode mode, uint controlKhz, int widthMhz, int requestedMbm, int grantedMbm, GateReason reason);

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning,
        Message = "Gate {Country}: refuse {Mode} {ControlKhz} kHz/{WidthMhz} MHz: {Reason} (subchannel {SubchannelKhz} kHz)")]
    public static partial void Refused(ILogger logger, string country, OperatingMode mode, uint controlKhz, int widthMhz, GateReason reason, uint subchannelKhz);

    [LoggerMessage(EventId = 203, Level = LogLevel.Warning, Message = "Gate {Country}: refuse country change to '{Requested}' from the untrusted side")]
    public static partial void CountryChangeRefused(ILogger logger, string country, string requested);

    [LoggerMessage(EventId = 204, Level = LogLevel.Information, Message = "Gate: country set to {Country} by the trusted side; DFS state reset")]
    public static partial void CountrySet(ILogger logger, string country);
}
