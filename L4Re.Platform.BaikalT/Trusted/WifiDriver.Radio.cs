using L4Re.Platform.BaikalT.Wifi;
using L4Re.Regulatory.Dfs;
using L4Re.Regulatory.Gate;
using L4Re.Regulatory.Rules;

namespace L4Re.Platform.BaikalT.Trusted;

public sealed partial class WifiDriver
{
    private RadioRequest? _current;      // the request the radio runs with (granted), null when off
    private RadioRequest? _fallback;     // the last granted configuration without radar channels
    private ChannelDefinition? _cac;     // the channel of a running CAC
    private uint _radarKhz;
    private long _radarAtNs;

    private uint Nic(int register) => _mmio!.Read32(WifiDriverSetup.NicVa + (ulong)register);

    private void Nic(int register, uint value) => _mmio!.Write32(WifiDriverSetup.NicVa + (ulong)register, value);

    private void InitNic()
    {
        Nic(WifiNicRegisters.Ctrl, WifiNicRegisters.CtrlReset);
        var country = _setup.Country;
        Nic(WifiNicRegisters.Regdomain, WifiNicRegisters.PackRegdomain(country.Alpha2, (int)country.DfsRegion) | WifiNicRegisters.RegdomainLock);
        var mem = Memory(0, (int)WifiDriverSetup.DmaAreaSize);
        mem.Clear();
        for (var i = 0; i < RingSize; i++)
        {
            var desc = mem.Slice((int)RxRingOffset + i * WifiNicRegisters.DescriptorSize, WifiNicRegisters.DescriptorSize);
            BitConverter.TryWriteBytes(desc, _dmaBase + RxBufOffset + (ulong)(i * BufferSize));
            BitConverter.TryWriteBytes(desc[8..], (ushort)BufferSize);
        }
        SetRing(WifiNicRegisters.TxRingLo, WifiNicRegisters.TxRingSize, _dmaBase + TxRingOffset);
        SetRing(WifiNicRegisters.RxRingLo, WifiNicRegisters.RxRingSize, _dmaBase + RxRingOffset);
        Nic(WifiNicRegisters.RxTail, RingSize - 1);
        Nic(WifiNicRegisters.IntMask, WifiNicRegisters.IntAll);
        Nic(WifiNicRegisters.AntGain, (uint)_setup.Capabilities.AntennaGainMbi);
    }

    private void SetRing(int lo, int size, ulong address)
    {
        Nic(lo, (uint)address);
        Nic(lo + 4, (uint)(address >> 32));
        Nic(size, RingSize);
    }

    /// <summary>Decides on a configuration request and programs the NIC with exactly what was granted.</summary>
    private RadioDecision Configure(in RadioRequest request)
    {
        var gate = Gate!;
        var d = gate.Decide(request);
        var answer = RadioDecision.From(d);
        if (!d.IsAllowed)
        {
            Record($"refused {Describe(request)}: {d.ReasonText}");
            return answer;
        }
        if (_cac is { } cac && !cac.Equals(d.Channel))
        {
            gate.Dfs.AbortCac();
            _cac = null;
        }
        Apply(d, request.Mode);
        var granted = request with { TxPowerMbm = d.GrantedTxPowerMbm, FrequencyKhz = d.Channel.ControlKhz, CenterFrequencyKhz = d.Channel.CenterKhz };
        _current = granted;
        if (!HasRadarChannel(d.Channel))
            _fallback = granted;
        Record($"{(d.Verdict == GateVerdict.Clamp ? "clamped" : "accepted")} {Describe(request)} -> {answer}");
        return answer;
    }

    /// <summary>Programs the NIC: transmitter off first, then channel and power, then the enables.</summary>
    private void Apply(in GateDecision d, OperatingMode mode)
    {
        var ch = d.Channel;
        Nic(WifiNicRegisters.Ctrl, Nic(WifiNicRegisters.Ctrl) & ~WifiNicRegisters.CtrlTxEnable);
        Nic(WifiNicRegisters.ChanFreq, ch.ControlKhz);
        Nic(WifiNicRegisters.ChanCenter, ch.CenterKhz);
        Nic(WifiNicRegisters.ChanWidth, (uint)ch.WidthMhz);
        Nic(WifiNicRegisters.TxPower, (uint)d.GrantedTxPowerMbm);
        Nic(WifiNicRegisters.AntGain, (uint)(d.GrantedEirpMbm - d.GrantedTxPowerMbm));
        Nic(WifiNicRegisters.Mode, (uint)mode);
        var ctrl = WifiNicRegisters.CtrlEnable;
        if ((d.Restrictions & GateRestrictions.PassiveOnly) == 0)
            ctrl |= WifiNicRegisters.CtrlTxEnable;
        if (HasRadarChannel(ch) || (d.Restrictions & GateRestrictions.RadarMonitoring) != 0)
            ctrl |= WifiNicRegisters.CtrlRadarDetect;
        Nic(WifiNicRegisters.Ctrl, ctrl);
        Gate!.Dfs.SetOperating(ch);
    }

    private (CacStartResult Result, long EndsAtNs) StartCac(uint controlKhz, int widthMhz, uint centerKhz)
    {
        var dfs = Gate!.Dfs;
        if (!ChannelDefinition.TryCreate(controlKhz, widthMhz, centerKhz, out var chandef))
        {
            Record($"CAC on {controlKhz / 1000.0:0.###}/{widthMhz} MHz refused: not a valid channel");
            return (CacStartResult.InvalidChannel, 0);
        }
        var result = dfs.StartCac(chandef);
        if (result != CacStartResult.Started)
        {
            Record($"CAC on {chandef.ControlKhz / 1000.0:0.###}/{chandef.WidthMhz} MHz not started: {result}");
            return (result, 0);
        }
        // The radio leaves its channel and listens on the one under test: transmitter off, radar detection on.
        _cac = chandef;
        _current = null;
        dfs.ClearOperating();
        Nic(WifiNicRegisters.Ctrl, 0);
        Nic(WifiNicRegisters.ChanFreq, chandef.ControlKhz);
        Nic(WifiNicRegisters.ChanCenter, chandef.CenterKhz);
        Nic(WifiNicRegisters.ChanWidth, (uint)chandef.WidthMhz);
        Nic(WifiNicRegisters.Mode, (uint)NicMode.Monitor);
        Nic(WifiNicRegisters.Ctrl, WifiNicRegisters.CtrlEnable | WifiNicRegisters.CtrlRadarDetect);
        var ends = KernelRegulatoryClockNs(dfs.CacEndsAt!.Value);
        Record($"CAC started on {chandef.ControlKhz / 1000.0:0.###}/{chandef.WidthMhz} MHz, ends at {ends / 1e9:0.000} s");
        return (result, ends);
    }

    private void RadioOff(string why)
    {
        Nic(WifiNicRegisters.Ctrl, 0);
        Gate!.Dfs.ClearOperating();
        Gate.Dfs.AbortCac();
        _cac = null;
        _current = null;
        Record("radio off: " + why);
    }

    /// <summary>Acts on DFS deadlines: a finished CAC leaves the radio listening on the channel, which keeps it AVAILABLE.</summary>
    private void RunTimers()
    {
        var gate = Gate;
        if (gate is null)
            return;
        gate.Dfs.Update();
        if (_cac is { } cac && !gate.Dfs.IsCacRunning)
        {
            _cac = null;
            if (AllAvailable(cac))
            {
                gate.Dfs.SetOperating(cac); // the radio sits on the channel doing in-service monitoring
                Record($"CAC on {cac.ControlKhz / 1000.0:0.###}/{cac.WidthMhz} MHz passed: channel available, radio listening there");
            }
        }
    }

    private void OnDfsEvent(DfsEvent e)
    {
        if (e.Kind is DfsEventKind.NopFinished or DfsEventKind.PreCacExpired or DfsEventKind.CacAborted)
            Record($"DFS: {e.Kind} on {e.ChannelKhz / 1000.0:0.###} MHz");
    }

    private void HandleRadar()
    {
        var gate = Gate!;
        var khz = Nic(WifiNicRegisters.RadarFreq);
        RadarEvents++;
        var chandef = _cac ?? (_current is { } cur && ChannelDefinition.TryCreate(cur.FrequencyKhz, cur.WidthMhz, cur.CenterFrequencyKhz, out var c) ? c : (ChannelDefinition?)null);
        if (chandef is not { } on)
        {
            Record($"radar at {khz / 1000.0:0.###} MHz while not operating");
            return;
        }
        var marked = gate.Dfs.RadarDetected(on);
        _radarKhz = khz;
        _radarAtNs = _kernel.Now;
        var wasCac = _cac is not null;
        _cac = null;
        Record($"radar at {khz / 1000.0:0.###} MHz on {on.ControlKhz / 1000.0:0.###}/{on.WidthMhz} MHz: {marked} channel(s) unavailable for {DfsTimes.NonOccupancy.TotalMinutes:0} min{(wasCac ? ", CAC aborted" : "")}");
        // Leave the channel now (well within the 10 s channel move time): back to the last configuration without
        // radar channels if the gate still grants it, otherwise transmitter off.
        if (_fallback is { } fb && gate.Decide(fb) is { IsAllowed: true } d)
        {
            Apply(d, fb.Mode);
            _current = fb with { TxPowerMbm = d.GrantedTxPowerMbm };
            Record($"vacated to {d.Channel.ControlKhz / 1000.0:0.###}/{d.Channel.WidthMhz} MHz, TX {d.GrantedTxPowerMbm / 100.0:0.00} dBm");
        }
        else
        {
            RadioOff("radar, no channel to move to");
        }
    }

    private bool HasRadarChannel(ChannelDefinition ch)
    {
        var gate = Gate!;
        for (var s = 0; s < ch.SubchannelCount; s++)
        {
            var i = gate.Channels.IndexOf(ch.SubchannelKhz(s));
            if (i >= 0 && gate.Dfs.IsRadarChannel(i))
                return true;
        }
        return false;
    }

    private bool AllAvailable(ChannelDefinition ch)
    {
        var gate = Gate!;
        for (var s = 0; s < ch.SubchannelCount; s++)
        {
            var i = gate.Channels.IndexOf(ch.SubchannelKhz(s));
            if (i >= 0 && gate.Dfs.IsRadarChannel(i) && gate.Dfs.StateAtIndex(i) != DfsState.Available)
                return false;
        }
        return true;
    }

    private static string Describe(in RadioRequest r) =>
        $"{r.Mode} {r.FrequencyKhz / 1000.0:0.###}/{r.WidthMhz} MHz TX {r.TxPowerMbm / 100.0:0.00} dBm";
}
