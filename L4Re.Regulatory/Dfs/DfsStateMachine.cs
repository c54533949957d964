using L4Re.Regulatory.Rules;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace L4Re.Regulatory.Dfs;

/// <summary>
/// DFS state of a radio's radar channels on the system's virtual clock, after cfg80211 (Linux 6.1
/// net/wireless/chan.c, mlme.c): every radar channel starts USABLE; a completed CAC (60 s, 10 min on the ETSI
/// weather-radar channels 5600–5650 MHz when the DFS region is ETSI or unknown) makes the channel definition's
/// radar channels AVAILABLE; radar makes them UNAVAILABLE for the 30-minute non-occupancy period, after which
/// they are USABLE again; outside ETSI an AVAILABLE channel that is not in operation falls back to USABLE 2 s
/// after it became AVAILABLE (<c>cfg80211_dfs_channels_update_work()</c>); a domain change resets everything.
/// Timers are evaluated lazily against <see cref="IRegulatoryClock"/>; nothing reads wall-clock time.
/// Not thread-safe: one radio, one owner.
/// </summary>
public sealed class DfsStateMachine
{
    private readonly IRegulatoryClock _clock;
    private readonly ILogger _logger;
    private ChannelTable _table;
    private DfsState[] _state;
    private TimeSpan[] _entered;
    private TimeSpan[] _cacTime;
    private bool _cacRunning;
    private ChannelDefinition _cac;
    private TimeSpan _cacEnds;
    private ChannelDefinition? _operating;
    private TimeSpan? _radarAt;
    private TimeSpan _nextDeadline = TimeSpan.MaxValue;

    /// <summary>Creates the state machine for the radar channels of <paramref name="channels"/>.</summary>
    public DfsStateMachine(ChannelTable channels, IRegulatoryClock clock, ILogger<DfsStateMachine>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(channels);
        ArgumentNullException.ThrowIfNull(clock);
        _clock = clock;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        (_table, _state, _entered, _cacTime) = Build(channels, clock.Now);
    }

    /// <summary>Raised for every transition.</summary>
    public event Action<DfsEvent>? Changed;

    /// <summary>The channels and their rules.</summary>
    public ChannelTable Channels => _table;

    /// <summary>Whether a CAC is running.</summary>
    public bool IsCacRunning
    {
        get
        {
            Update();
            return _cacRunning;
        }
    }

    /// <summary>The channel definition of the running CAC.</summary>
    public ChannelDefinition? CacChannel => IsCacRunning ? _cac : null;

    /// <summary>When the running CAC completes.</summary>
    public TimeSpan? CacEndsAt => IsCacRunning ? _cacEnds : null;

    /// <summary>The channel definition in operation (beaconing), if any.</summary>
    public ChannelDefinition? Operating => _operating;

    /// <summary>
    /// Whether the channel in operation includes an UNAVAILABLE channel: the radio must stop transmitting
    /// there by <see cref="VacateDeadline"/>.
    /// </summary>
    public bool MustVacate
    {
        get
        {
            Update();
            if (_operating is not { } op)
                return false;
            for (var s = 0; s < op.SubchannelCount; s++)
                if (_table.IndexOf(op.SubchannelKhz(s)) is >= 0 and var i && _state[i] == DfsState.Unavailable)
                    return true;
            return false;
        }
    }

    /// <summary>The time by which the radio must have left a channel where radar was seen (radar + 10 s).</summary>
    public TimeSpan? VacateDeadline => MustVacate && _radarAt is { } at ? at + DfsTimes.ChannelMoveTime : null;

    /// <summary>Whether channel <paramref name="index"/> requires radar detection.</summary>
    public bool IsRadarChannel(int index) => (_table[index].Flags & ChannelFlags.Radar) != 0;

    /// <summary>The DFS state of channel <paramref name="index"/> now.</summary>
    public DfsState StateAtIndex(int index)
    {
        Update();
        return _state[index];
    }

    /// <summary>The DFS state of the channel centred at <paramref name="centerKhz"/>.</summary>
    /// <exception cref="ArgumentException">The radio has no such channel.</exception>
    public DfsState StateOf(uint centerKhz)
    {
        var i = _table.IndexOf(centerKhz);
        if (i < 0)
            throw new ArgumentException($"No channel at {centerKhz} kHz.", nameof(centerKhz));
        return StateAtIndex(i);
    }

    /// <summary>State without running timers (for callers that already called <see cref="Update"/>).</summary>
    internal DfsState StateNoUpdate(int index) => _state[index];

    /// <summary>The CAC time of channel <paramref name="index"/> (zero for a non-radar channel).</summary>
    public TimeSpan CacTime(int index) => _cacTime[index];

    /// <summary>
    /// Starts a CAC on <paramref name="definition"/> (nl80211's start-radar-detection checks:
    /// <c>cfg80211_chandef_dfs_required()</c> and <c>cfg80211_chandef_dfs_usable()</c>). Its length is the
    /// longest CAC time of the radar subchannels.
    /// </summary>
    public CacStartResult StartCac(ChannelDefinition definition)
    {
        Update();
        var now = _clock.Now;
        var result = CheckCac(definition, out var duration);
        if (result != CacStartResult.Started)
        {
            DfsLog.CacRefused(_logger, definition.ToString(), result);
            return result;
        }
        _cacRunning = true;
        _cac = definition;
        _cacEnds = now + duration;
        DfsLog.CacStarted(_logger, definition.ToString(), now, duration);
        Raise(DfsEventKind.CacStarted, definition.ControlKhz, now);
        RecomputeDeadline();
        return result;
    }

    private CacStartResult CheckCac(ChannelDefinition definition, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (_cacRunning)
            return CacStartResult.Busy;
        var radar = 0;
        var usable = 0;
        for (var s = 0; s < definition.SubchannelCount; s++)
        {
            var i = _table.IndexOf(definition.SubchannelKhz(s));
            if (i < 0 || !_table[i].IsEnabled)
                return CacStartResult.InvalidChannel;
            if (!IsRadarChannel(i))
                continue;
            radar++;
            if (_state[i] == DfsState.Unavailable)
                return CacStartResult.Unavailable;
            if (_state[i] == DfsState.Usable)
                usable++;
            if (_cacTime[i] > duration)
                duration = _cacTime[i];
        }
        if (radar == 0)
            return CacStartResult.NotRequired;
        return usable == 0 ? CacStartResult.AlreadyAvailable : CacStartResult.Started;
    }

    /// <summary>Aborts a running CAC (<c>NL80211_RADAR_CAC_ABORTED</c>); the channels stay USABLE.</summary>
    public void AbortCac()
    {
        Update();
        if (!_cacRunning)
            return;
        _cacRunning = false;
        Raise(DfsEventKind.CacAborted, _cac.ControlKhz, _clock.Now);
        RecomputeDeadline();
    }

    /// <summary>
    /// Radar was detected on <paramref name="definition"/> (<c>cfg80211_radar_event()</c>): its radar channels
    /// become UNAVAILABLE for the non-occupancy period; a CAC overlapping them is aborted. Returns the number
    /// of channels marked.
    /// </summary>
    public int RadarDetected(ChannelDefinition definition)
    {
        Update();
        var now = _clock.Now;
        var count = 0;
        for (var s = 0; s < definition.SubchannelCount; s++)
        {
            var i = _table.IndexOf(definition.SubchannelKhz(s));
            if (i < 0 || !IsRadarChannel(i))
                continue;
            _state[i] = DfsState.Unavailable;
            _entered[i] = now;
            count++;
            Raise(DfsEventKind.RadarDetected, _table.CenterKhz(i), now);
        }
        if (count > 0)
        {
            _radarAt = now;
            DfsLog.Radar(_logger, definition.ToString(), now, count, DfsTimes.NonOccupancy, DfsTimes.ChannelMoveTime);
            if (_cacRunning && Overlaps(_cac, definition))
            {
                _cacRunning = false;
                Raise(DfsEventKind.CacAborted, _cac.ControlKhz, now);
            }
        }
        RecomputeDeadline();
        return count;
    }

    /// <summary>Records that the radio operates (beacons) on <paramref name="definition"/>; its AVAILABLE channels do not expire.</summary>
    public void SetOperating(ChannelDefinition definition)
    {
        Update();
        _operating = definition;
        RecomputeDeadline();
    }

    /// <summary>Records that the radio stopped operating.</summary>
    public void ClearOperating()
    {
        Update();
        _operating = null;
        RecomputeDeadline();
    }

    /// <summary>
    /// The regulatory domain changed (cfg80211's <c>handle_channel()</c> sets every channel USABLE): re-evaluates the
    /// channels for <paramref name="channels"/>, aborts the CAC and forgets the operating channel.
    /// </summary>
    public void Reset(ChannelTable channels)
    {
        ArgumentNullException.ThrowIfNull(channels);
        var now = _clock.Now;
        (_table, _state, _entered, _cacTime) = Build(channels, now);
        _cacRunning = false;
        _operating = null;
        _radarAt = null;
        Raise(DfsEventKind.DomainReset, 0, now);
        RecomputeDeadline();
    }

    /// <summary>Runs every timer that expired by now (CAC completion, non-occupancy end, pre-CAC expiry). Cheap when none did.</summary>
    public void Update()
    {
        var now = _clock.Now;
        if (now < _nextDeadline)
            return;
        if (_cacRunning && now >= _cacEnds)
        {
            _cacRunning = false;
            for (var s = 0; s < _cac.SubchannelCount; s++)
            {
                var i = _table.IndexOf(_cac.SubchannelKhz(s));
                if (i < 0 || !IsRadarChannel(i))
                    continue;
                _state[i] = DfsState.Available;
                _entered[i] = _cacEnds;
                Raise(DfsEventKind.CacFinished, _table.CenterKhz(i), _cacEnds);
            }
        }
        var preCacAllowed = _table.Domain.DfsRegion == DfsRegion.Etsi;
        for (var i = 0; i < _state.Length; i++)
        {
            if (_state[i] == DfsState.Unavailable && now >= _entered[i] + DfsTimes.NonOccupancy)
            {
                _entered[i] += DfsTimes.NonOccupancy;
                _state[i] = DfsState.Usable;
                Raise(DfsEventKind.NopFinished, _table.CenterKhz(i), _entered[i]);
            }
            else if (_state[i] == DfsState.Available && !preCacAllowed && !InOperation(i) &&
                     now >= _entered[i] + DfsTimes.PreCacExpiryGrace)
            {
                _entered[i] += DfsTimes.PreCacExpiryGrace;
                _state[i] = DfsState.Usable;
                Raise(DfsEventKind.PreCacExpired, _table.CenterKhz(i), _entered[i]);
            }
        }
        RecomputeDeadline();
    }

    private bool InOperation(int index)
    {
        if (_operating is not { } op)
            return false;
        var c = _table.CenterKhz(index);
        return c > op.LowKhz && c < op.HighKhz;
    }

    private void RecomputeDeadline()
    {
        var next = TimeSpan.MaxValue;
        if (_cacRunning)
            next = _cacEnds;
        var preCacAllowed = _table.Domain.DfsRegion == DfsRegion.Etsi;
        for (var i = 0; i < _state.Length; i++)
        {
            if (_state[i] == DfsState.Unavailable)
                next = Min(next, _entered[i] + DfsTimes.NonOccupancy);
            else if (_state[i] == DfsState.Available && !preCacAllowed && !InOperation(i))
                next = Min(next, _entered[i] + DfsTimes.PreCacExpiryGrace);
        }
        _nextDeadline = next;
    }

    private void Raise(DfsEventKind kind, uint khz, TimeSpan at)
    {
        if (kind is not (DfsEventKind.CacStarted or DfsEventKind.DomainReset))
            DfsLog.Transition(_logger, kind, khz / 1000.0, at);
        Changed?.Invoke(new DfsEvent(kind, khz, at));
    }

    private static bool Overlaps(ChannelDefinition a, ChannelDefinition b) => a.LowKhz < b.HighKhz && b.LowKhz < a.HighKhz;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static (ChannelTable, DfsState[], TimeSpan[], TimeSpan[]) Build(ChannelTable table, TimeSpan now)
    {
        var n = table.Count;
        var entered = new TimeSpan[n];
        Array.Fill(entered, now);
        var cac = new TimeSpan[n];
        var region = table.Domain.DfsRegion;
        for (var i = 0; i < n; i++)
        {
            ref readonly var rules = ref table[i];
            if ((rules.Flags & ChannelFlags.Radar) == 0)
                continue;
            var time = TimeSpan.FromMilliseconds(rules.CacTimeMs);
            // The ETSI weather-radar CAC is not in regulatory.db; apply it in ETSI and, to be safe, when the region is unknown.
            var lo = table.CenterKhz(i) - 10_000;
            var hi = table.CenterKhz(i) + 10_000;
            if (region is DfsRegion.Etsi or DfsRegion.Unset && lo < DfsTimes.WeatherRadarEndKhz && hi > DfsTimes.WeatherRadarStartKhz &&
                time < DfsTimes.WeatherRadarCac)
                time = DfsTimes.WeatherRadarCac;
            cac[i] = time;
        }
        return (table, new DfsState[n], entered, cac);
    }
}
