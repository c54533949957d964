using L4Re.Regulatory.Dfs;
using L4Re.Regulatory.Rules;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace L4Re.Regulatory.Gate;

/// <summary>
/// The FCC policy gate between the untrusted router OS and the radio. The trusted side fixes the country
/// (a <see cref="RegDomain"/>) and the <see cref="InterfaceCapabilities"/>; the untrusted side only sends
/// <see cref="RadioRequest"/>s, and the gate answers accept, clamp (TX power lowered to the limit) or refuse,
/// logs every decision and counts it. A decision never grants more than was asked and never more than the
/// rules allow: every 20 MHz subchannel must be enabled by cfg80211's evaluation (one rule, or two exactly
/// adjacent rules), allow the width, allow OFDM for wide channels, allow outdoor use if outdoor; initiating
/// modes need every DFS subchannel AVAILABLE (CAC done, no radar) and no NO-IR subchannel (see
/// <see cref="NoIrAfterCacPolicy"/>); TX power + antenna gain stays within the smallest EIRP limit of the
/// subchannels, in whole dBm as cfg80211 truncates.
/// </summary>
/// <remarks>Not thread-safe for concurrent decisions (one radio, one IPC server thread); the counters are.</remarks>
public sealed class RegulatoryPolicyGate
{
    /// <summary>Largest |power| or |gain| a request may carry, in mBm/mBi (±100 dBm).</summary>
    public const int MaxPowerMagnitudeMbm = 10_000;

    private readonly ILogger _logger;
    private ChannelTable _table;
    private string _alpha2;

    /// <summary>Creates the gate for <paramref name="country"/> and the radio described by <paramref name="capabilities"/>.</summary>
    public RegulatoryPolicyGate(RegDomain country, InterfaceCapabilities capabilities, IRegulatoryClock clock,
        ILoggerFactory? loggerFactory = null, GateOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(country);
        ArgumentNullException.ThrowIfNull(capabilities);
        ArgumentNullException.ThrowIfNull(clock);
        Capabilities = capabilities;
        Options = options ?? new GateOptions();
        var factory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = factory.CreateLogger<RegulatoryPolicyGate>();
        _table = new ChannelTable(country, capabilities.ChannelsKhz);
        _alpha2 = country.Alpha2;
        Dfs = new DfsStateMachine(_table, clock, factory.CreateLogger<DfsStateMachine>());
    }

    /// <summary>The country's regulatory domain.</summary>
    public RegDomain Country => _table.Domain;

    /// <summary>The radio's capabilities.</summary>
    public InterfaceCapabilities Capabilities { get; }

    /// <summary>The options.</summary>
    public GateOptions Options { get; }

    /// <summary>The channels with cfg80211's evaluation for the country.</summary>
    public ChannelTable Channels => _table;

    /// <summary>The DFS state machine of the radio (the trusted side runs CACs and reports radar here).</summary>
    public DfsStateMachine Dfs { get; }

    /// <summary>Decision counters.</summary>
    public GateCounters Counters { get; } = new();

    /// <summary>Trusted side only: sets another country. Re-evaluates the channels and resets DFS (cfg80211 does the same).</summary>
    public void SetCountry(RegDomain country)
    {
        ArgumentNullException.ThrowIfNull(country);
        _table = new ChannelTable(country, Capabilities.ChannelsKhz);
        _alpha2 = country.Alpha2;
        Dfs.Reset(_table);
        GateLog.CountrySet(_logger, _alpha2);
    }

    /// <summary>An untrusted request to change the country: always refused, logged and counted.</summary>
    public GateDecision RequestCountryChange(string? alpha2)
    {
        GateLog.CountryChangeRefused(_logger, _alpha2, alpha2 ?? "");
        Counters.Count(GateVerdict.Refuse, GateReason.CountryFixed);
        return new GateDecision(GateVerdict.Refuse, GateReason.CountryFixed, default, 0, 0, 0, GateRestrictions.None, 0);
    }

    /// <summary>Decides on an untrusted radio request. Allocation-free.</summary>
    public GateDecision Decide(in RadioRequest request)
    {
        var decision = Evaluate(request);
        Counters.Count(decision.Verdict, decision.Reason);
        switch (decision.Verdict)
        {
            case GateVerdict.Accept:
                GateLog.Accepted(_logger, _alpha2, request.Mode, decision.Channel.ControlKhz, decision.Channel.WidthMhz,
                    decision.GrantedEirpMbm, decision.EirpLimitMbm);
                break;
            case GateVerdict.Clamp:
                GateLog.Clamped(_logger, _alpha2, request.Mode, decision.Channel.ControlKhz, decision.Channel.WidthMhz,
                    request.TxPowerMbm, decision.GrantedTxPowerMbm, decision.Reason);
                break;
            default:
                GateLog.Refused(_logger, _alpha2, request.Mode, decision.Channel.ControlKhz != 0 ? decision.Channel.ControlKhz : request.FrequencyKhz,
                    request.WidthMhz, decision.Reason, decision.SubchannelKhz);
                break;
        }
        return decision;
    }

    private GateDecision Evaluate(in RadioRequest request)
    {
        var caps = Capabilities;
        if (request.WidthMhz is not (20 or 40 or 80 or 160) || (uint)request.Mode > (uint)OperatingMode.Ibss ||
            request.TxPowerMbm is < -MaxPowerMagnitudeMbm or > MaxPowerMagnitudeMbm ||
            request.AntennaGainMbi is < -MaxPowerMagnitudeMbm or > MaxPowerMagnitudeMbm)
            return Refuse(GateReason.InvalidRequest, default);
        var control = request.FrequencyKhz != 0 ? request.FrequencyKhz : ChannelNumbering.ChannelToFrequencyKhz(request.Channel, request.Band);
        if (control == 0)
            return Refuse(GateReason.InvalidRequest, default);
        if (((int)caps.Modes & (1 << (int)request.Mode)) == 0)
            return Refuse(GateReason.ModeNotSupported, default);
        if (request.WidthMhz > caps.MaxWidthMhz)
            return Refuse(GateReason.WidthNotSupported, default);
        if (!ChannelDefinition.TryCreate(control, request.WidthMhz, request.CenterFrequencyKhz, out var chandef))
            return Refuse(GateReason.InvalidChannelDefinition, default);

        var dfs = Dfs;
        dfs.Update();
        var table = _table;
        var outdoor = request.Outdoor || caps.Environment == InstallationEnvironment.Outdoor;
        var initiating = request.Mode != OperatingMode.Station;
        var restrictions = GateRestrictions.None;
        var minPowerDbm = int.MaxValue;
        var anyRadar = false;
        var cacMissing = false;
        uint noIrAt = 0;
        uint cacAt = 0;
        for (var s = 0; s < chandef.SubchannelCount; s++)
        {
            var khz = chandef.SubchannelKhz(s);
            var i = table.IndexOf(khz);
            if (i < 0)
                return Refuse(GateReason.ChannelNotSupported, chandef, khz);
            ref readonly var rules = ref table[i];
            if (!rules.IsUsable20Mhz)
                return Refuse(GateReason.NoRule, chandef, khz);
            if (!rules.AllowsWidth(chandef.WidthMhz))
                return Refuse(GateReason.WidthNotAllowed, chandef, khz);
            var flags = rules.Flags;
            if ((flags & ChannelFlags.NoOfdm) != 0)
            {
                if (chandef.WidthMhz > 20)
                    return Refuse(GateReason.NoOfdm, chandef, khz);
                restrictions |= GateRestrictions.CckOnly;
            }
            if (outdoor && (flags & ChannelFlags.IndoorOnly) != 0)
                return Refuse(GateReason.IndoorOnly, chandef, khz);
            if ((flags & ChannelFlags.Radar) != 0)
            {
                anyRadar = true;
                var state = dfs.StateNoUpdate(i);
                if (state == DfsState.Unavailable)
                    return Refuse(GateReason.RadarNonOccupancy, chandef, khz);
                if (state != DfsState.Available && !cacMissing)
                {
                    cacMissing = true;
                    cacAt = khz;
                }
            }
            if ((flags & ChannelFlags.NoIr) != 0 && noIrAt == 0)
                noIrAt = khz;
            if (rules.MaxRegPowerDbm < minPowerDbm)
                minPowerDbm = rules.MaxRegPowerDbm;
        }

        if (initiating)
        {
            if (cacMissing)
                return Refuse(GateReason.CacRequired, chandef, cacAt);
            // With the waiver, cfg80211 lets a DFS channel whose radar subchannels all passed CAC ignore NO-IR.
            var waived = Options.NoIrAfterCac == NoIrAfterCacPolicy.Cfg80211Waiver && anyRadar;
            if (noIrAt != 0 && !waived)
                return Refuse(GateReason.NoInitiatingRadiation, chandef, noIrAt);
            if (anyRadar)
                restrictions |= GateRestrictions.RadarMonitoring;
        }
        else if (anyRadar || noIrAt != 0)
        {
            restrictions |= GateRestrictions.PassiveOnly;
        }

        var gain = Math.Max(request.AntennaGainMbi, caps.AntennaGainMbi);
        var eirpLimit = minPowerDbm * 100;
        var regulatoryTx = eirpLimit - gain;
        var txLimit = Math.Min(regulatoryTx, caps.MaxTxPowerMbm);
        if (txLimit < caps.MinTxPowerMbm)
            return Refuse(GateReason.PowerBelowInterfaceMinimum, chandef, 0, eirpLimit);
        if (request.TxPowerMbm <= txLimit)
            return new GateDecision(GateVerdict.Accept, GateReason.Ok, chandef, request.TxPowerMbm, request.TxPowerMbm + gain,
                eirpLimit, restrictions, 0);
        var reason = regulatoryTx <= caps.MaxTxPowerMbm ? GateReason.PowerClampedToRegulatoryLimit : GateReason.PowerClampedToInterfaceLimit;
        return new GateDecision(GateVerdict.Clamp, reason, chandef, txLimit, txLimit + gain, eirpLimit, restrictions, 0);
    }

    private static GateDecision Refuse(GateReason reason, ChannelDefinition chandef, uint subchannelKhz = 0, int eirpLimit = 0) =>
        new(GateVerdict.Refuse, reason, chandef, 0, 0, eirpLimit, GateRestrictions.None, subchannelKhz);
}
