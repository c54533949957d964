using L4Re.Kernel.Abi;
using L4Re.Kernel.Ipc;
using L4Re.Regulatory.Dfs;
using L4Re.Regulatory.Gate;

namespace L4Re.Platform.BaikalT.Trusted;

/// <summary>
/// The radio-configuration IPC protocol of the trusted Wi-Fi component (docs/platform.md). A request is an IPC
/// call through the component's Ipc_gate with label <see cref="Label"/>, the opcode (<see cref="RadioOp"/>) in
/// MR0 and one word per field; the reply's label is 0 or a negated <see cref="L4Error"/>, its words the result.
/// Signed values (powers, gains) travel as two's-complement words and must fit 32 bits. Setters need the W right
/// on the caller's capability (the gate label's bit 0, as Fiasco passes it).
/// <para>Errors: another label → <c>-L4_EBADPROTO</c>; an unknown opcode → <c>-L4_ENOSYS</c>; fewer words than the
/// opcode needs → <c>-L4_EMSGTOOSHORT</c>; a value that does not fit its field → <c>-L4_EINVAL</c>; a setter through
/// a capability without W → <c>-L4_EPERM</c>. A well-formed request the rules forbid is not an IPC error: the reply
/// carries the gate's verdict.</para>
/// </summary>
public static class RadioProtocol
{
    /// <summary>The protocol label ("WI").</summary>
    public const long Label = 0x5749;

    /// <summary>Words of a <see cref="RadioOp.SetConfig"/> request: op, control kHz, width MHz, centre kHz, TX mBm, gain mBi, mode, flags.</summary>
    public const uint SetConfigWords = 8;
    /// <summary>Words of a <see cref="RadioOp.StartCac"/> request: op, control kHz, width MHz, centre kHz.</summary>
    public const uint StartCacWords = 4;
    /// <summary>Words of a <see cref="RadioOp.SetCountry"/> request: op, two ASCII letters.</summary>
    public const uint SetCountryWords = 2;
    /// <summary>Words of a decision reply.</summary>
    public const uint DecisionWords = 10;
    /// <summary>Words of a CAC reply.</summary>
    public const uint CacWords = 3;
    /// <summary>Words of a status reply.</summary>
    public const uint StatusWords = 15;
    /// <summary>Words of an info reply.</summary>
    public const uint InfoWords = 7;

    /// <summary>SetConfig flag: outdoor use.</summary>
    public const ulong FlagOutdoor = 1;

    /// <summary>Writes a <see cref="RadioOp.SetConfig"/> request.</summary>
    public static MsgTag SetConfig(Utcb utcb, in RadioRequest request)
    {
        ArgumentNullException.ThrowIfNull(utcb);
        var mr = utcb.Mr;
        mr[0] = (ulong)RadioOp.SetConfig;
        mr[1] = request.FrequencyKhz;
        mr[2] = (ulong)(long)request.WidthMhz;
        mr[3] = request.CenterFrequencyKhz;
        mr[4] = (ulong)(long)request.TxPowerMbm;
        mr[5] = (ulong)(long)request.AntennaGainMbi;
        mr[6] = (ulong)request.Mode;
        mr[7] = request.Outdoor ? FlagOutdoor : 0;
        return new MsgTag(Label, SetConfigWords, 0, 0);
    }

    /// <summary>Writes a <see cref="RadioOp.StartCac"/> request.</summary>
    public static MsgTag StartCac(Utcb utcb, uint controlKhz, int widthMhz, uint centerKhz = 0)
    {
        ArgumentNullException.ThrowIfNull(utcb);
        utcb.Mr[0] = (ulong)RadioOp.StartCac;
        utcb.Mr[1] = controlKhz;
        utcb.Mr[2] = (ulong)(long)widthMhz;
        utcb.Mr[3] = centerKhz;
        return new MsgTag(Label, StartCacWords, 0, 0);
    }

    /// <summary>Writes a <see cref="RadioOp.SetCountry"/> request.</summary>
    public static MsgTag SetCountry(Utcb utcb, string alpha2)
    {
        ArgumentNullException.ThrowIfNull(utcb);
        ArgumentNullException.ThrowIfNull(alpha2);
        utcb.Mr[0] = (ulong)RadioOp.SetCountry;
        utcb.Mr[1] = PackCountry(alpha2);
        return new MsgTag(Label, SetCountryWords, 0, 0);
    }

    /// <summary>Writes a request without arguments (<see cref="RadioOp.GetInfo"/>, <see cref="RadioOp.GetStatus"/>, <see cref="RadioOp.RadioOff"/>).</summary>
    public static MsgTag Simple(Utcb utcb, RadioOp op)
    {
        ArgumentNullException.ThrowIfNull(utcb);
        utcb.Mr[0] = (ulong)op;
        return new MsgTag(Label, 1, 0, 0);
    }

    /// <summary>Packs up to two characters into a word (first letter in bits 7:0).</summary>
    public static ulong PackCountry(string alpha2)
    {
        ArgumentNullException.ThrowIfNull(alpha2);
        ulong v = 0;
        for (var i = 0; i < Math.Min(alpha2.Length, 8); i++)
            v |= (ulong)(alpha2[i] & 0xff) << (8 * i);
        return v;
    }

    /// <summary>Unpacks a country word (stops at the first zero byte; at most two letters).</summary>
    public static string UnpackCountry(ulong word)
    {
        Span<char> c = stackalloc char[2];
        var n = 0;
        for (; n < 2 && (word >> (8 * n) & 0xff) != 0; n++)
            c[n] = (char)(word >> (8 * n) & 0xff);
        return new string(c[..n]);
    }

    /// <summary>Reads a decision reply.</summary>
    /// <returns>False when the reply is an error or too short.</returns>
    public static bool TryReadDecision(Utcb utcb, MsgTag reply, out RadioDecision decision)
    {
        ArgumentNullException.ThrowIfNull(utcb);
        decision = default;
        if (reply.HasError || reply.Label != 0 || reply.Words < DecisionWords)
            return false;
        var mr = utcb.Mr;
        decision = new RadioDecision((GateVerdict)mr[0], (GateReason)mr[1], (uint)mr[2], (uint)mr[3], (int)mr[4], (int)mr[5], (int)mr[6], (int)mr[7],
            (GateRestrictions)mr[8], (uint)mr[9]);
        return true;
    }

    /// <summary>Writes a decision reply.</summary>
    public static MsgTag WriteDecision(Utcb utcb, in RadioDecision d)
    {
        ArgumentNullException.ThrowIfNull(utcb);
        var mr = utcb.Mr;
        mr[0] = (ulong)d.Verdict;
        mr[1] = (ulong)d.Reason;
        mr[2] = d.ControlKhz;
        mr[3] = d.CenterKhz;
        mr[4] = (ulong)(long)d.WidthMhz;
        mr[5] = (ulong)(long)d.TxPowerMbm;
        mr[6] = (ulong)(long)d.EirpMbm;
        mr[7] = (ulong)(long)d.EirpLimitMbm;
        mr[8] = (ulong)d.Restrictions;
        mr[9] = d.SubchannelKhz;
        return MsgTag.Result(0, DecisionWords);
    }

    /// <summary>Reads a CAC reply.</summary>
    public static bool TryReadCac(Utcb utcb, MsgTag reply, out CacStartResult result, out long endsAtNs)
    {
        ArgumentNullException.ThrowIfNull(utcb);
        result = default;
        endsAtNs = 0;
        if (reply.HasError || reply.Label != 0 || reply.Words < CacWords)
            return false;
        result = (CacStartResult)utcb.Mr[0];
        endsAtNs = (long)utcb.Mr[1];
        return true;
    }

    /// <summary>Reads a status reply.</summary>
    public static bool TryReadStatus(Utcb utcb, MsgTag reply, out RadioStatus status)
    {
        ArgumentNullException.ThrowIfNull(utcb);
        status = default;
        if (reply.HasError || reply.Label != 0 || reply.Words < StatusWords)
            return false;
        var mr = utcb.Mr;
        status = new RadioStatus((RadioStatusFlags)mr[0], (Wifi.NicMode)mr[1], (uint)mr[2], (uint)mr[3], (int)mr[4], (int)mr[5], (int)mr[6],
            UnpackCountry(mr[7]), (long)mr[8], (uint)mr[9], (long)mr[10], (long)mr[11], (long)mr[12], (long)mr[13], (long)mr[14]);
        return true;
    }

    /// <summary>Writes a status reply.</summary>
    public static MsgTag WriteStatus(Utcb utcb, in RadioStatus s)
    {
        ArgumentNullException.ThrowIfNull(utcb);
        var mr = utcb.Mr;
        mr[0] = (ulong)s.Flags;
        mr[1] = (ulong)s.Mode;
        mr[2] = s.ControlKhz;
        mr[3] = s.CenterKhz;
        mr[4] = (ulong)(long)s.WidthMhz;
        mr[5] = (ulong)(long)s.TxPowerMbm;
        mr[6] = (ulong)(long)s.AntennaGainMbi;
        mr[7] = PackCountry(s.Country);
        mr[8] = (ulong)s.CacEndsAtNs;
        mr[9] = s.RadarKhz;
        mr[10] = (ulong)s.RadarBlockedUntilNs;
        mr[11] = (ulong)s.Accepted;
        mr[12] = (ulong)s.Clamped;
        mr[13] = (ulong)s.Refused;
        mr[14] = (ulong)s.NowNs;
        return MsgTag.Result(0, StatusWords);
    }

    /// <summary>Reads an info reply.</summary>
    public static bool TryReadInfo(Utcb utcb, MsgTag reply, out RadioInfo info)
    {
        ArgumentNullException.ThrowIfNull(utcb);
        info = default;
        if (reply.HasError || reply.Label != 0 || reply.Words < InfoWords)
            return false;
        var mr = utcb.Mr;
        info = new RadioInfo(UnpackCountry(mr[0]), (Regulatory.Rules.DfsRegion)mr[1], (int)mr[2], (int)mr[3], (int)mr[4], (OperatingModes)mr[5], (int)mr[6]);
        return true;
    }
}
