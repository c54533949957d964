using L4Re.Regulatory.Dfs;
using L4Re.Regulatory.Gate;
using L4Re.Regulatory.Rules;

namespace L4Re.Platform.BaikalT.Wifi;

/// <summary>
/// An independent check of what the NIC radiates against the rules of the country (reference/regulatory.md, "Invariants
/// a policy gate must hold"), read from the NIC's registers rather than from what the gate said: a transmitting radio's
/// channel must be a valid channel definition whose every 20 MHz subchannel is enabled and allows the width, its EIRP
/// (TX power + antenna gain, not less than the installed antenna's) must stay within the smallest EIRP limit of the
/// subchannels (whole dBm, as cfg80211 truncates), an initiating mode must not use NO-IR subchannels, and radar
/// subchannels must be AVAILABLE (CAC done) for initiating modes and never UNAVAILABLE (radar seen). The country register
/// must hold the trusted side's country, locked.
/// </summary>
public static class RadioCompliance
{
    /// <summary>Every rule the state breaks (empty when compliant or not transmitting).</summary>
    /// <param name="state">The NIC's registers.</param>
    /// <param name="country">The country the trusted side enforces.</param>
    /// <param name="capabilities">The radio's capabilities (installed antenna gain, TX power range).</param>
    /// <param name="dfs">The DFS state at that moment, or null to skip the DFS rules.</param>
    public static IReadOnlyList<string> Violations(in NicRadioState state, RegDomain country, InterfaceCapabilities capabilities, DfsStateMachine? dfs = null)
    {
        ArgumentNullException.ThrowIfNull(country);
        ArgumentNullException.ThrowIfNull(capabilities);
        var problems = new List<string>();
        if (state.Country != country.Alpha2 || (state.Regdomain & WifiNicRegisters.RegdomainLock) == 0)
            problems.Add($"REGDOMAIN holds '{state.Country}'{((state.Regdomain & WifiNicRegisters.RegdomainLock) == 0 ? " unlocked" : "")}, not {country.Alpha2} locked");
        if (!state.Transmitting)
            return problems;
        if (!ChannelDefinition.TryCreate(state.ControlKhz, state.WidthMhz, state.CenterKhz, out var chandef))
        {
            problems.Add($"{state.ControlKhz} kHz / {state.WidthMhz} MHz / centre {state.CenterKhz} kHz is not a valid channel");
            return problems;
        }
        if (state.TxPowerMbm > capabilities.MaxTxPowerMbm)
            problems.Add($"TX power {state.TxPowerMbm} mBm above the radio's maximum {capabilities.MaxTxPowerMbm} mBm");
        var gain = Math.Max(state.AntennaGainMbi, capabilities.AntennaGainMbi);
        var table = dfs?.Channels ?? new ChannelTable(country, capabilities.ChannelsKhz);
        var initiating = state.Mode is NicMode.AccessPoint or NicMode.Mesh or NicMode.Ibss;
        var limit = int.MaxValue;
        for (var s = 0; s < chandef.SubchannelCount; s++)
        {
            var khz = chandef.SubchannelKhz(s);
            var i = table.IndexOf(khz);
            if (i < 0)
            {
                problems.Add($"{khz} kHz is not a channel of the radio");
                continue;
            }
            ref readonly var rules = ref table[i];
            if (!rules.IsUsable20Mhz)
                problems.Add($"{khz} kHz is not allowed in {country.Alpha2}");
            else if (!rules.AllowsWidth(chandef.WidthMhz))
                problems.Add($"{khz} kHz allows at most {rules.MaxWidthMhz} MHz, not {chandef.WidthMhz}");
            if (initiating && (rules.Flags & ChannelFlags.NoIr) != 0)
                problems.Add($"{khz} kHz is NO-IR but the radio initiates ({state.Mode})");
            limit = Math.Min(limit, rules.MaxRegPowerDbm * 100);
            if (dfs is not null && (rules.Flags & ChannelFlags.Radar) != 0)
            {
                var st = dfs.StateAtIndex(i);
                if (st == DfsState.Unavailable)
                    problems.Add($"{khz} kHz is in its radar non-occupancy period");
                else if (initiating && st != DfsState.Available)
                    problems.Add($"{khz} kHz needs a completed CAC before initiating");
            }
        }
        if (limit != int.MaxValue && state.TxPowerMbm + gain > limit)
            problems.Add($"EIRP {state.TxPowerMbm + gain} mBm above the limit {limit} mBm");
        return problems;
    }
}
