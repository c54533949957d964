using System.Globalization;
using L4Re.Kernel.Abi;
using L4Re.Platform.BaikalT.Trusted;
using L4Re.Regulatory.Dfs;
using L4Re.Regulatory.Gate;

namespace L4Re.Platform.BaikalT.Vm;

/// <summary>
/// The text side of the radio control channel: one request per line, as OpenWrt's userland would write it to the
/// virtio console (<c>echo "set 5180 80 17 ap" &gt; /dev/hvc0</c>), one reply line back. The VMM translates each line into
/// one IPC call of <see cref="RadioProtocol"/> and the answer back into text; it adds no authority of its own — the
/// trusted component decides. Requests:
/// <c>info</c> · <c>status</c> · <c>set FREQ WIDTH TXDBM MODE [gain DBI] [center FREQ] [outdoor]</c> (MHz, dBm with
/// up to two decimals, MODE = ap|sta|mesh|ibss) · <c>cac FREQ WIDTH [center FREQ]</c> · <c>country CC</c> · <c>off</c>.
/// Replies start with a keyword: <c>info</c>, <c>status</c>, <c>accept</c>, <c>clamp</c>, <c>refuse</c>, <c>cac</c>,
/// <c>off</c> or <c>error</c>.
/// </summary>
public static class RadioLineProtocol
{
    /// <summary>The longest request line accepted (longer lines are answered with an error and dropped).</summary>
    public const int MaxLine = 200;

    /// <summary>Handles one request line through <paramref name="client"/> and returns the reply line (without newline).</summary>
    public static string Handle(RadioClient client, string line)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(line);
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length == 0)
            return "error: empty request";
        try
        {
            return words[0] switch
            {
                "info" when words.Length == 1 => Info(client),
                "status" when words.Length == 1 => Status(client),
                "off" when words.Length == 1 => client.Off() is var e && e == L4Error.Ok ? "off" : Error(e),
                "set" => Set(client, words),
                "cac" => Cac(client, words),
                "country" when words.Length == 2 => Country(client, words[1]),
                _ => $"error: unknown request '{Clip(words[0])}' (info, status, set, cac, country, off)",
            };
        }
        catch (FormatException e)
        {
            return "error: " + e.Message;
        }
    }

    private static string Info(RadioClient client)
    {
        var e = client.Info(out var i);
        return e != L4Error.Ok ? Error(e)
            : string.Create(CultureInfo.InvariantCulture, $"info country {i.Country} ({RegionText(i.DfsRegion)}), up to {i.MaxWidthMhz} MHz, TX up to {i.MaxTxPowerMbm / 100.0:0.00} dBm, antenna {i.AntennaGainMbi / 100.0:0.00} dBi, {i.Channels} channels");
    }

    private static string Status(RadioClient client)
    {
        var e = client.Status(out var s);
        if (e != L4Error.Ok)
            return Error(e);
        var radio = (s.Flags & RadioStatusFlags.Enabled) == 0 ? "radio off"
            : string.Create(CultureInfo.InvariantCulture, $"{((s.Flags & RadioStatusFlags.Transmitting) != 0 ? "transmitting" : "listening")} {ModeText(s.Mode)} on {s.ControlKhz / 1000.0:0.###}/{s.WidthMhz} MHz TX {s.TxPowerMbm / 100.0:0.00} dBm");
        var cac = (s.Flags & RadioStatusFlags.CacRunning) != 0 ? string.Create(CultureInfo.InvariantCulture, $"; CAC until {s.CacEndsAtNs / 1e9:0.0} s") : "";
        var radar = s.RadarKhz == 0 ? ""
            : s.RadarBlockedUntilNs != 0 ? string.Create(CultureInfo.InvariantCulture, $"; radar at {s.RadarKhz / 1000.0:0.###} MHz, blocked until {s.RadarBlockedUntilNs / 1e9:0.0} s")
            : string.Create(CultureInfo.InvariantCulture, $"; radar at {s.RadarKhz / 1000.0:0.###} MHz, non-occupancy over");
        return string.Create(CultureInfo.InvariantCulture, $"status {s.Country}: {radio}{cac}{radar}; accepted {s.Accepted}, clamped {s.Clamped}, refused {s.Refused}");
    }

    private static string Set(RadioClient client, string[] w)
    {
        if (w.Length < 5)
            return "error: set FREQ WIDTH TXDBM MODE [gain DBI] [center FREQ] [outdoor]";
        var request = new RadioRequest
        {
            FrequencyKhz = Mhz(w[1]),
            WidthMhz = Int(w[2], "width"),
            TxPowerMbm = Centi(w[3], "TX power"),
            Mode = w[4] switch
            {
                "ap" => OperatingMode.AccessPoint,
                "sta" => OperatingMode.Station,
                "mesh" => OperatingMode.Mesh,
                "ibss" => OperatingMode.Ibss,
                _ => throw new FormatException($"mode '{Clip(w[4])}' is not ap, sta, mesh or ibss"),
            },
        };
        for (var i = 5; i < w.Length; i++)
        {
            switch (w[i])
            {
                case "outdoor":
                    request = request with { Outdoor = true };
                    break;
                case "gain" when i + 1 < w.Length:
                    request = request with { AntennaGainMbi = Centi(w[++i], "gain") };
                    break;
                case "center" when i + 1 < w.Length:
                    request = request with { CenterFrequencyKhz = Mhz(w[++i]) };
                    break;
                default:
                    throw new FormatException($"unexpected '{Clip(w[i])}'");
            }
        }
        var e = client.Configure(request, out var d);
        return e != L4Error.Ok ? Error(e) : Decision(d);
    }

    private static string Cac(RadioClient client, string[] w)
    {
        if (w.Length is not (3 or 5) || (w.Length == 5 && w[3] != "center"))
            return "error: cac FREQ WIDTH [center FREQ]";
        var freq = Mhz(w[1]);
        var e = client.StartCac(freq, Int(w[2], "width"), w.Length == 5 ? Mhz(w[4]) : 0, out var result, out var ends);
        if (e != L4Error.Ok)
            return Error(e);
        return result == CacStartResult.Started
            ? string.Create(CultureInfo.InvariantCulture, $"cac started on {freq / 1000.0:0.###}/{w[2]} MHz, ends at {ends / 1e9:0.000} s")
            : $"cac not started: {result}";
    }

    private static string Country(RadioClient client, string cc)
    {
        var e = client.SetCountry(cc, out var d);
        return e != L4Error.Ok ? Error(e) : $"{Verb(d.Verdict)} country {Clip(cc)}: {GateReasonText.Of(d.Reason)}";
    }

    /// <summary>The text of a decision.</summary>
    public static string Decision(in RadioDecision d) => d.Verdict == GateVerdict.Refuse
        ? string.Create(CultureInfo.InvariantCulture, $"refuse{(d.ControlKhz != 0 ? $" {d.ControlKhz / 1000.0:0.###}/{d.WidthMhz} MHz" : "")}: {GateReasonText.Of(d.Reason)}")
        : string.Create(CultureInfo.InvariantCulture, $"{Verb(d.Verdict)} {d.ControlKhz / 1000.0:0.###}/{d.WidthMhz} MHz TX {d.TxPowerMbm / 100.0:0.00} dBm EIRP {d.EirpMbm / 100.0:0.00} dBm (limit {d.EirpLimitMbm / 100.0:0.##} dBm): {GateReasonText.Of(d.Reason)}");

    /// <summary>db.txt's name of a DFS region.</summary>
    public static string RegionText(L4Re.Regulatory.Rules.DfsRegion region) => region switch
    {
        L4Re.Regulatory.Rules.DfsRegion.Fcc => "DFS-FCC",
        L4Re.Regulatory.Rules.DfsRegion.Etsi => "DFS-ETSI",
        L4Re.Regulatory.Rules.DfsRegion.Jp => "DFS-JP",
        _ => "no DFS region",
    };

    /// <summary>The request word of a NIC mode.</summary>
    public static string ModeText(Wifi.NicMode mode) => mode switch
    {
        Wifi.NicMode.AccessPoint => "ap",
        Wifi.NicMode.Station => "sta",
        Wifi.NicMode.Mesh => "mesh",
        Wifi.NicMode.Ibss => "ibss",
        Wifi.NicMode.Monitor => "monitor",
        _ => $"mode {(uint)mode}",
    };

    private static string Verb(GateVerdict v) => v switch { GateVerdict.Accept => "accept", GateVerdict.Clamp => "clamp", _ => "refuse" };

    private static string Error(L4Error e) => e == RadioClient.IpcFailed ? "error: the radio component does not answer" : $"error: the radio component answered {e}";

    private static uint Mhz(string s) =>
        decimal.TryParse(s, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var v) && v is > 0 and < 100_000
            ? (uint)(v * 1000) : throw new FormatException($"'{Clip(s)}' is not a frequency in MHz");

    private static int Int(string s, string what) =>
        int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : throw new FormatException($"'{Clip(s)}' is not a {what}");

    private static int Centi(string s, string what) =>
        decimal.TryParse(s, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) && v is > -1000 and < 1000
            ? (int)Math.Round(v * 100) : throw new FormatException($"'{Clip(s)}' is not a {what} in dB");

    private static string Clip(string s) => s.Length <= 16 ? s : s[..16] + "...";
}
