using L4Re.Kernel.Abi;
using L4Re.Kernel.Ipc;
using L4Re.Regulatory.Dfs;
using L4Re.Regulatory.Gate;
using L4Re.Regulatory.Rules;

namespace L4Re.Platform.BaikalT.Trusted;

public sealed partial class WifiDriver
{
    /// <summary>
    /// Answers one message of the radio protocol (<see cref="RadioProtocol"/>). Every input is untrusted: the label, the
    /// word count and every field are checked; nothing a caller sends makes the component throw.
    /// </summary>
    /// <param name="utcb">The message registers (the request in, the reply out).</param>
    /// <param name="tag">The request's tag.</param>
    /// <param name="rights">The caller's capability rights from the gate label (bit 0 = W, bit 1 = S).</param>
    internal MsgTag Dispatch(Utcb utcb, MsgTag tag, int rights)
    {
        Requests++;
        var reply = DispatchCore(utcb, tag, rights);
        if (reply.Label < 0)
        {
            ProtocolErrors++;
            Record($"request refused at the IPC level: {reply.ResultError} (label 0x{tag.Label:x}, {tag.Words} words)");
        }
        return reply;
    }

    private MsgTag DispatchCore(Utcb utcb, MsgTag tag, int rights)
    {
        if (tag.Label != RadioProtocol.Label)
            return MsgTag.FromError(L4Error.BadProto);
        if (tag.Words < 1)
            return MsgTag.FromError(L4Error.MsgTooShort);
        var gate = Gate!;
        var mr = utcb.Mr;
        var op = (RadioOp)mr[0];
        var setter = op is RadioOp.SetConfig or RadioOp.StartCac or RadioOp.RadioOff;
        switch (op)
        {
            case RadioOp.GetInfo or RadioOp.GetStatus or RadioOp.SetConfig or RadioOp.StartCac or RadioOp.SetCountry or RadioOp.RadioOff:
                break;
            default:
                return MsgTag.FromError(L4Error.NoSys);
        }
        if (setter && (rights & 1) == 0)
            return MsgTag.FromError(L4Error.Perm);
        switch (op)
        {
            case RadioOp.GetInfo:
                mr[0] = RadioProtocol.PackCountry(gate.Country.Alpha2);
                mr[1] = (ulong)gate.Country.DfsRegion;
                mr[2] = (ulong)gate.Capabilities.MaxWidthMhz;
                mr[3] = (ulong)(long)gate.Capabilities.MaxTxPowerMbm;
                mr[4] = (ulong)(long)gate.Capabilities.AntennaGainMbi;
                mr[5] = (ulong)gate.Capabilities.Modes;
                mr[6] = (ulong)gate.Capabilities.ChannelsKhz.Count;
                return MsgTag.Result(0, RadioProtocol.InfoWords);

            case RadioOp.GetStatus:
                return RadioProtocol.WriteStatus(utcb, Status());

            case RadioOp.SetCountry:
            {
                if (tag.Words < RadioProtocol.SetCountryWords)
                    return MsgTag.FromError(L4Error.MsgTooShort);
                var asked = RadioProtocol.UnpackCountry(mr[1]);
                var d = gate.RequestCountryChange(asked);
                Record($"country change to '{asked}' refused: {GateReasonText.Of(d.Reason)}");
                return RadioProtocol.WriteDecision(utcb, RadioDecision.From(d));
            }

            case RadioOp.RadioOff:
                RadioOff("switched off on request");
                mr[0] = 0;
                return MsgTag.Result(0, 1);

            case RadioOp.StartCac:
            {
                if (tag.Words < RadioProtocol.StartCacWords)
                    return MsgTag.FromError(L4Error.MsgTooShort);
                if (mr[1] > uint.MaxValue || mr[3] > uint.MaxValue || !FitsInt(mr[2]))
                    return MsgTag.FromError(L4Error.Inval);
                var (result, ends) = StartCac((uint)mr[1], (int)(long)mr[2], (uint)mr[3]);
                mr[0] = (ulong)result;
                mr[1] = (ulong)ends;
                mr[2] = 0;
                return MsgTag.Result(0, RadioProtocol.CacWords);
            }

            default: // SetConfig
            {
                if (tag.Words < RadioProtocol.SetConfigWords)
                    return MsgTag.FromError(L4Error.MsgTooShort);
                if (mr[1] > uint.MaxValue || mr[3] > uint.MaxValue || !FitsInt(mr[2]) || !FitsInt(mr[4]) || !FitsInt(mr[5])
                    || mr[6] > byte.MaxValue || (mr[7] & ~RadioProtocol.FlagOutdoor) != 0)
                    return MsgTag.FromError(L4Error.Inval);
                var request = new RadioRequest
                {
                    FrequencyKhz = (uint)mr[1],
                    WidthMhz = (int)(long)mr[2],
                    CenterFrequencyKhz = (uint)mr[3],
                    TxPowerMbm = (int)(long)mr[4],
                    AntennaGainMbi = (int)(long)mr[5],
                    Mode = (OperatingMode)(byte)mr[6],
                    Outdoor = (mr[7] & RadioProtocol.FlagOutdoor) != 0,
                };
                return RadioProtocol.WriteDecision(utcb, Configure(request));
            }
        }
    }

    private static bool FitsInt(ulong word) => (long)word is >= int.MinValue and <= int.MaxValue;

    /// <summary>The radio's status: the NIC's registers as they are, the DFS state, the counters.</summary>
    public RadioStatus Status()
    {
        var gate = Gate!;
        var flags = RadioStatusFlags.None;
        var ctrl = Nic(Wifi.WifiNicRegisters.Ctrl);
        if ((ctrl & Wifi.WifiNicRegisters.CtrlEnable) != 0)
            flags |= RadioStatusFlags.Enabled;
        if ((Nic(Wifi.WifiNicRegisters.Status) & Wifi.WifiNicRegisters.StatusTransmitting) != 0)
            flags |= RadioStatusFlags.Transmitting;
        if ((ctrl & Wifi.WifiNicRegisters.CtrlRadarDetect) != 0)
            flags |= RadioStatusFlags.RadarDetect;
        long cacEnds = 0;
        if (gate.Dfs.CacEndsAt is { } e)
        {
            flags |= RadioStatusFlags.CacRunning;
            cacEnds = KernelRegulatoryClockNs(e);
        }
        long blocked = 0;
        if (_radarKhz != 0)
        {
            flags |= RadioStatusFlags.RadarSeen;
            var i = gate.Channels.IndexOf(_radarKhz);
            if (i >= 0 && gate.Dfs.StateAtIndex(i) == DfsState.Unavailable)
                blocked = _radarAtNs + KernelRegulatoryClockNs(DfsTimes.NonOccupancy);
        }
        var c = gate.Counters;
        return new RadioStatus(flags, (Wifi.NicMode)Nic(Wifi.WifiNicRegisters.Mode), Nic(Wifi.WifiNicRegisters.ChanFreq),
            Nic(Wifi.WifiNicRegisters.ChanCenter), (int)Nic(Wifi.WifiNicRegisters.ChanWidth), (int)Nic(Wifi.WifiNicRegisters.TxPower),
            (int)Nic(Wifi.WifiNicRegisters.AntGain), gate.Country.Alpha2, cacEnds, _radarKhz, blocked,
            c.Accepted, c.Clamped, c.Refused, _kernel.Now);
    }

    private static long KernelRegulatoryClockNs(TimeSpan t) => Time.KernelRegulatoryClock.ToKernelNs(t);
}
