using System.Text;
using System.Text.Json;
using L4Re.Regulatory.Gate;
using L4Re.Regulatory.Rules;

namespace L4Re.Regulatory.Reporting;

/// <summary>
/// The machine-readable answers of <c>l4re regdb channel</c> and <c>l4re regdb check</c>: compact JSON with a fixed
/// key order, relied on by external checks.
/// </summary>
public static class RegdbJson
{
    /// <summary>The flag names the channel view reports, in this order.</summary>
    public static IReadOnlyList<string> ChannelFlagNames { get; } = ["NO-OFDM", "NO-OUTDOOR", "DFS", "NO-IR"];

    /// <summary>
    /// cfg80211's view of the 20 MHz channel centred at <paramref name="centerKhz"/>:
    /// <c>{"country":"US","freq_mhz":5260,"enabled":true,"max_eirp_dbm":24,"max_bandwidth_mhz":160,"flags":["DFS"]}</c>.
    /// <c>max_eirp_dbm</c> is <c>max_reg_power</c> (truncated dBm), <c>max_bandwidth_mhz</c> the widest channel
    /// (20/40/80/160/320) the bandwidth flags allow the channel to be part of; a disabled channel reports
    /// <c>"enabled":false</c>, zeros and no flags.
    /// </summary>
    public static string Channel(RegDomain domain, uint centerKhz)
    {
        ArgumentNullException.ThrowIfNull(domain);
        var rules = Cfg80211.EvaluateChannel(domain, centerKhz);
        var enabled = rules.IsUsable20Mhz;
        return Json(w =>
        {
            w.WriteString("country", domain.Alpha2);
            WriteScaled(w, "freq_mhz", centerKhz, 1000);
            w.WriteBoolean("enabled", enabled);
            w.WriteNumber("max_eirp_dbm", enabled ? rules.MaxRegPowerDbm : 0);
            w.WriteNumber("max_bandwidth_mhz", enabled ? rules.MaxWidthMhz : 0);
            w.WriteStartArray("flags");
            if (enabled)
                foreach (var name in Flags(rules.Flags))
                    w.WriteStringValue(name);
            w.WriteEndArray();
        });
    }

    /// <summary>The flag names of a channel, from NO-OFDM, NO-OUTDOOR, DFS, NO-IR in that order.</summary>
    public static IEnumerable<string> Flags(ChannelFlags flags)
    {
        if ((flags & ChannelFlags.NoOfdm) != 0) yield return "NO-OFDM";
        if ((flags & ChannelFlags.IndoorOnly) != 0) yield return "NO-OUTDOOR";
        if ((flags & ChannelFlags.Radar) != 0) yield return "DFS";
        if ((flags & ChannelFlags.NoIr) != 0) yield return "NO-IR";
    }

    /// <summary>
    /// A gate decision: <c>{"decision":"accept|clamp|refuse","granted_eirp_dbm":N,"reason":"…"}</c>; N is the granted
    /// EIRP in dBm (0 when refused), an integer when whole, else with the needed decimals.
    /// </summary>
    public static string Decision(GateDecision decision) => Json(w =>
    {
        w.WriteString("decision", VerdictName(decision.Verdict));
        WriteScaled(w, "granted_eirp_dbm", decision.GrantedEirpMbm, 100);
        w.WriteString("reason", decision.ReasonText);
    });

    /// <summary>accept, clamp or refuse.</summary>
    public static string VerdictName(GateVerdict verdict) => verdict switch
    {
        GateVerdict.Accept => "accept",
        GateVerdict.Clamp => "clamp",
        _ => "refuse",
    };

    private static void WriteScaled(Utf8JsonWriter w, string name, long value, int scale)
    {
        if (value % scale == 0)
            w.WriteNumber(name, value / scale);
        else
            w.WriteNumber(name, (decimal)value / scale);
    }

    private static string Json(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
