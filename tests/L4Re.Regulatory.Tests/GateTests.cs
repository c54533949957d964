using L4Re.Regulatory.Dfs;
using L4Re.Regulatory.Gate;
using L4Re.Regulatory.Rules;
using Microsoft.Extensions.Logging;

namespace L4Re.Regulatory.Tests;

public class GateTests
{
    private static (RegulatoryPolicyGate Gate, ManualClock Clock) Create(string country, InterfaceCapabilities? caps = null,
        GateOptions? options = null, ILoggerFactory? logs = null)
    {
        var clock = new ManualClock();
        return (new RegulatoryPolicyGate(TestDomains.Country(country), caps ?? InterfaceCapabilities.Unrestricted(), clock, logs, options), clock);
    }

    private static void CompleteCac(RegulatoryPolicyGate gate, ManualClock clock, int mhz, int width)
    {
        Assert.That(ChannelDefinition.TryCreate((uint)mhz * 1000, width, 0, out var d), Is.True);
        Assert.That(gate.Dfs.StartCac(d), Is.EqualTo(CacStartResult.Started));
        clock.Advance(gate.Dfs.CacEndsAt!.Value - clock.Now);
    }

    [Test]
    public void Plain_channel_within_limits_is_accepted()
    {
        var (gate, _) = Create("US");
        var d = gate.Decide(RadioRequest.ForFrequency(5180, 80, 20));
        Assert.That(d.Verdict, Is.EqualTo(GateVerdict.Accept));
        Assert.That(d.GrantedEirpMbm, Is.EqualTo(2000));
        Assert.That(d.EirpLimitMbm, Is.EqualTo(2300));
        Assert.That(d.Channel.CenterKhz, Is.EqualTo(5_210_000u));
    }

    [Test]
    public void Power_above_the_limit_is_clamped_to_it_at_plus_minus_1_mBm()
    {
        var (gate, clock) = Create("DE");
        CompleteCac(gate, clock, 5500, 20);
        // 500 mW = 2698 mBm; cfg80211 allows whole dBm: 26 dBm.
        RadioRequest At(int mbm) => new() { FrequencyKhz = 5_500_000, WidthMhz = 20, TxPowerMbm = mbm, Mode = OperatingMode.AccessPoint };
        Assert.That(gate.Decide(At(2599)).Verdict, Is.EqualTo(GateVerdict.Accept));
        Assert.That(gate.Decide(At(2600)).Verdict, Is.EqualTo(GateVerdict.Accept));
        var clamp = gate.Decide(At(2601));
        Assert.That(clamp.Verdict, Is.EqualTo(GateVerdict.Clamp));
        Assert.That(clamp.Reason, Is.EqualTo(GateReason.PowerClampedToRegulatoryLimit));
        Assert.That(clamp.GrantedTxPowerMbm, Is.EqualTo(2600));
        // With 3 dBi the TX power limit is 23 dBm.
        var withGain = gate.Decide(At(2400) with { AntennaGainMbi = 300 });
        Assert.That(withGain.GrantedTxPowerMbm, Is.EqualTo(2300));
        Assert.That(withGain.GrantedEirpMbm, Is.EqualTo(2600));
    }

    [Test]
    public void DFS_channels_need_a_CAC_before_an_AP_may_start()
    {
        var (gate, clock) = Create("US");
        var ap = RadioRequest.ForFrequency(5260, 80, 20);
        Assert.That(gate.Decide(ap).Reason, Is.EqualTo(GateReason.CacRequired));
        CompleteCac(gate, clock, 5260, 80);
        var d = gate.Decide(ap);
        Assert.That(d.Verdict, Is.EqualTo(GateVerdict.Accept));
        Assert.That(d.Restrictions, Is.EqualTo(GateRestrictions.RadarMonitoring));
        gate.Dfs.SetOperating(d.Channel);
        gate.Dfs.RadarDetected(d.Channel);
        Assert.That(gate.Decide(ap).Reason, Is.EqualTo(GateReason.RadarNonOccupancy));
        Assert.That(gate.Decide(ap with { Mode = OperatingMode.Station }).Reason, Is.EqualTo(GateReason.RadarNonOccupancy));
        clock.Advance(TimeSpan.FromMinutes(30));
        Assert.That(gate.Decide(ap).Reason, Is.EqualTo(GateReason.CacRequired));
    }

    [Test]
    public void A_station_may_join_a_DFS_channel_passively()
    {
        var (gate, _) = Create("US");
        var d = gate.Decide(RadioRequest.ForFrequency(5260, 20, 20, OperatingMode.Station));
        Assert.That(d.Verdict, Is.EqualTo(GateVerdict.Accept));
        Assert.That(d.Restrictions, Is.EqualTo(GateRestrictions.PassiveOnly));
    }

    [Test]
    public void The_160_MHz_channel_50_mixes_DFS_and_non_DFS_subchannels()
    {
        var (gate, clock) = Create("US");
        var req = RadioRequest.ForFrequency(5180, 160, 30);
        var before = gate.Decide(req);
        Assert.That(before.Reason, Is.EqualTo(GateReason.CacRequired));
        Assert.That(before.SubchannelKhz, Is.EqualTo(5_260_000u));
        CompleteCac(gate, clock, 5180, 160);
        var after = gate.Decide(req);
        Assert.That(after.Verdict, Is.EqualTo(GateVerdict.Clamp));
        Assert.That(after.EirpLimitMbm, Is.EqualTo(2300), "min of 23 dBm (36-48) and 24 dBm (52-64)");
    }

    [Test]
    public void NO_IR_is_never_waived_by_default_but_cfg80211_mode_waives_it_after_CAC()
    {
        // The world domain marks 5250-5330 NO-IR and DFS.
        var (strict, clock) = Create("00");
        CompleteCac(strict, clock, 5260, 20);
        Assert.That(strict.Decide(RadioRequest.ForFrequency(5260, 20, 10)).Reason, Is.EqualTo(GateReason.NoInitiatingRadiation));

        var (waiver, clock2) = Create("00", options: new GateOptions { NoIrAfterCac = NoIrAfterCacPolicy.Cfg80211Waiver });
        Assert.That(waiver.Decide(RadioRequest.ForFrequency(5260, 20, 10)).Reason, Is.EqualTo(GateReason.CacRequired));
        CompleteCac(waiver, clock2, 5260, 20);
        Assert.That(waiver.Decide(RadioRequest.ForFrequency(5260, 20, 10)).Verdict, Is.EqualTo(GateVerdict.Accept));
        // No DFS, no waiver: US U-NII-4 (NO-IR) stays closed to APs, open to stations.
        var (us, _) = Create("US", options: new GateOptions { NoIrAfterCac = NoIrAfterCacPolicy.Cfg80211Waiver });
        Assert.That(us.Decide(RadioRequest.ForFrequency(5865, 20, 10)).Reason, Is.EqualTo(GateReason.NoInitiatingRadiation));
        Assert.That(us.Decide(RadioRequest.ForFrequency(5865, 20, 10, OperatingMode.Station)).IsAllowed, Is.True);
    }

    [Test]
    public void The_cfg80211_waiver_is_not_monotonic_which_is_why_strict_is_the_default()
    {
        // A NO-IR rule, and the same rule tightened by adding DFS. With the waiver, a CAC makes the tighter rule allow an AP.
        var loose = new RegDomain("ZZ", DfsRegion.Fcc, [new RegRule(5_250_000, 5_330_000, 80_000, 2000, RegRuleFlags.NoIr)]);
        var tight = new RegDomain("ZZ", DfsRegion.Fcc, [new RegRule(5_250_000, 5_330_000, 80_000, 2000, RegRuleFlags.NoIr | RegRuleFlags.Dfs)]);
        var ap = RadioRequest.ForFrequency(5260, 20, 10);
        foreach (var (policy, tightAllows) in new[] { (NoIrAfterCacPolicy.Cfg80211Waiver, true), (NoIrAfterCacPolicy.Strict, false) })
        {
            var options = new GateOptions { NoIrAfterCac = policy };
            var clock = new ManualClock();
            var looseGate = new RegulatoryPolicyGate(loose, InterfaceCapabilities.Unrestricted(), clock, null, options);
            var tightGate = new RegulatoryPolicyGate(tight, InterfaceCapabilities.Unrestricted(), clock, null, options);
            CompleteCac(tightGate, clock, 5260, 20);
            Assert.That(looseGate.Decide(ap).IsAllowed, Is.False, policy.ToString());
            Assert.That(tightGate.Decide(ap).IsAllowed, Is.EqualTo(tightAllows), policy.ToString());
        }
    }

    [Test]
    public void US_channel_169_is_NO_IR_for_APs_and_27_dBm_for_stations()
    {
        var (gate, _) = Create("US");
        Assert.That(gate.Decide(RadioRequest.ForFrequency(5845, 20, 20)).Reason, Is.EqualTo(GateReason.NoInitiatingRadiation));
        var sta = gate.Decide(RadioRequest.ForFrequency(5845, 20, 30, OperatingMode.Station));
        Assert.That(sta.Verdict, Is.EqualTo(GateVerdict.Clamp));
        Assert.That(sta.GrantedEirpMbm, Is.EqualTo(2700));
        Assert.That(gate.Decide(RadioRequest.ForFrequency(5845, 20, 20, OperatingMode.Station, outdoor: true)).Reason,
            Is.EqualTo(GateReason.IndoorOnly));
    }

    [Test]
    public void DE_channel_144_gets_13_dBm()
    {
        var (gate, clock) = Create("DE");
        CompleteCac(gate, clock, 5720, 20);
        var d = gate.Decide(RadioRequest.ForFrequency(5720, 20, 20));
        Assert.That(d.Verdict, Is.EqualTo(GateVerdict.Clamp));
        Assert.That(d.GrantedEirpMbm, Is.EqualTo(1300));
    }

    [Test]
    public void Channel_14_in_JP_is_CCK_only_and_20_MHz_only()
    {
        var (gate, _) = Create("JP");
        var d = gate.Decide(new RadioRequest { Channel = 14, Band = Band.Band2GHz, WidthMhz = 20, TxPowerMbm = 1000 });
        Assert.That(d.Verdict, Is.EqualTo(GateVerdict.Accept));
        Assert.That(d.Restrictions, Is.EqualTo(GateRestrictions.CckOnly));
        Assert.That(gate.Decide(new RadioRequest { Channel = 14, Band = Band.Band2GHz, WidthMhz = 40, TxPowerMbm = 1000 }).Reason,
            Is.EqualTo(GateReason.InvalidChannelDefinition));
        var (us, _) = Create("US");
        Assert.That(us.Decide(new RadioRequest { Channel = 14, Band = Band.Band2GHz, WidthMhz = 20, TxPowerMbm = 1000 }).Reason,
            Is.EqualTo(GateReason.NoRule));
    }

    [Test]
    public void Width_beyond_the_rules_is_refused()
    {
        var (gate, _) = Create("DE");
        // DE 5725-5875 @ 80 (no AUTO-BW): no 160 MHz around channel 149.
        var d = gate.Decide(RadioRequest.ForFrequency(5745, 160, 10, OperatingMode.Station));
        Assert.That(d.Reason, Is.EqualTo(GateReason.WidthNotAllowed));
        // 2.4 GHz is limited to 40 MHz.
        Assert.That(gate.Decide(RadioRequest.ForFrequency(2412, 40, 10)).Verdict, Is.EqualTo(GateVerdict.Accept));
    }

    [Test]
    public void The_trusted_side_fixes_the_interface_limits_and_the_antenna()
    {
        var outdoorRouter = new InterfaceCapabilities(ChannelNumbering.StandardChannels(Band.Band5GHz), maxWidthMhz: 80,
            maxTxPowerMbm: 1800, antennaGainMbi: 600, modes: OperatingModes.AccessPoint | OperatingModes.Station,
            environment: InstallationEnvironment.Outdoor);
        var (gate, _) = Create("US", outdoorRouter);
        // Claims 0 dBi; the installed antenna has 6 dBi: EIRP limit 23 dBm -> TX 17 dBm.
        var d = gate.Decide(RadioRequest.ForFrequency(5180, 20, 20));
        Assert.That(d.GrantedTxPowerMbm, Is.EqualTo(1700));
        Assert.That(d.GrantedEirpMbm, Is.EqualTo(2300));
        // 5745: 30 dBm EIRP, the interface caps TX at 18 dBm.
        var cap = gate.Decide(RadioRequest.ForFrequency(5745, 20, 25));
        Assert.That(cap.Reason, Is.EqualTo(GateReason.PowerClampedToInterfaceLimit));
        Assert.That(cap.GrantedTxPowerMbm, Is.EqualTo(1800));
        Assert.That(gate.Decide(RadioRequest.ForFrequency(5180, 160, 10)).Reason, Is.EqualTo(GateReason.WidthNotSupported));
        Assert.That(gate.Decide(RadioRequest.ForFrequency(5180, 20, 10, OperatingMode.Mesh)).Reason, Is.EqualTo(GateReason.ModeNotSupported));
        Assert.That(gate.Decide(RadioRequest.ForFrequency(2412, 20, 10)).Reason, Is.EqualTo(GateReason.ChannelNotSupported));
        // An outdoor installation makes NO-OUTDOOR channels unusable whatever the request says.
        Assert.That(gate.Decide(RadioRequest.ForFrequency(5865, 20, 10, OperatingMode.Station)).Reason, Is.EqualTo(GateReason.IndoorOnly));
    }

    [Test]
    public void A_limit_below_the_interface_minimum_is_refused()
    {
        var caps = new InterfaceCapabilities(ChannelNumbering.StandardChannels(Band.Band6GHz), 160, 2000, 0, minTxPowerMbm: 1500);
        var (gate, _) = Create("US", caps);
        Assert.That(gate.Decide(RadioRequest.ForFrequency(5955, 20, 10, OperatingMode.Station)).Reason,
            Is.EqualTo(GateReason.PowerBelowInterfaceMinimum));
    }

    [TestCase(5180, 30, 10)]
    [TestCase(5180, 20, 101)]
    [TestCase(0, 20, 10)]
    public void Invalid_requests_are_refused(int mhz, int width, int dbm)
    {
        var (gate, _) = Create("US");
        Assert.That(gate.Decide(RadioRequest.ForFrequency(mhz, width, dbm)).Reason, Is.EqualTo(GateReason.InvalidRequest));
        Assert.That(gate.Decide(new RadioRequest { FrequencyKhz = 5_180_000, WidthMhz = 20, Mode = (OperatingMode)9 }).Reason,
            Is.EqualTo(GateReason.InvalidRequest));
    }

    [Test]
    public void The_untrusted_side_cannot_change_the_country()
    {
        var (gate, _) = Create("DE");
        var d = gate.RequestCountryChange("US");
        Assert.That(d.Verdict, Is.EqualTo(GateVerdict.Refuse));
        Assert.That(d.Reason, Is.EqualTo(GateReason.CountryFixed));
        Assert.That(gate.Country.Alpha2, Is.EqualTo("DE"));
        Assert.That(gate.Counters.ByReason(GateReason.CountryFixed), Is.EqualTo(1));
    }

    [Test]
    public void The_trusted_side_changing_the_country_resets_DFS()
    {
        var (gate, clock) = Create("US");
        CompleteCac(gate, clock, 5260, 20);
        Assert.That(gate.Decide(RadioRequest.ForFrequency(5260, 20, 10)).IsAllowed, Is.True);
        gate.SetCountry(TestDomains.Country("CA"));
        Assert.That(gate.Decide(RadioRequest.ForFrequency(5260, 20, 10)).Reason, Is.EqualTo(GateReason.CacRequired));
    }

    [Test]
    public void Every_decision_is_logged_and_counted()
    {
        using var logs = new CapturingLoggerFactory();
        var (gate, _) = Create("US", logs: logs);
        gate.Decide(RadioRequest.ForFrequency(5180, 20, 20));
        gate.Decide(RadioRequest.ForFrequency(5180, 20, 30));
        gate.Decide(RadioRequest.ForFrequency(5260, 20, 20));
        gate.RequestCountryChange("JP");
        var gateLogs = logs.Entries.Where(e => e.Category.EndsWith(nameof(RegulatoryPolicyGate), StringComparison.Ordinal)).ToList();
        Assert.That(gateLogs.Select(e => e.Id.Id), Is.EqualTo(new[] { 200, 201, 202, 203 }));
        Assert.That(gateLogs[2].Level, Is.EqualTo(LogLevel.Warning));
        Assert.That(gateLogs[2].Message, Does.Contain("CacRequired"));
        Assert.That(gate.Counters.Accepted, Is.EqualTo(1));
        Assert.That(gate.Counters.Clamped, Is.EqualTo(1));
        Assert.That(gate.Counters.Refused, Is.EqualTo(2));
        Assert.That(gate.Counters.Total, Is.EqualTo(4));
        Assert.That(gate.Counters.ByReason(GateReason.CacRequired), Is.EqualTo(1));
    }

    [Test]
    public void Decisions_allocate_nothing()
    {
        var (gate, clock) = Create("US", InterfaceCapabilities.DualBandRouter());
        CompleteCac(gate, clock, 5260, 80);
        RadioRequest[] requests =
        [
            RadioRequest.ForFrequency(5180, 80, 17), RadioRequest.ForFrequency(5260, 80, 30), RadioRequest.ForFrequency(5500, 40, 20),
            RadioRequest.ForFrequency(2412, 20, 20, OperatingMode.Station), RadioRequest.ForFrequency(5200, 30, 15),
        ];
        var allowed = 0;
        for (var i = 0; i < 1000; i++)
            allowed += gate.Decide(requests[i % requests.Length]).IsAllowed ? 1 : 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100_000; i++)
            allowed += gate.Decide(requests[i % requests.Length]).IsAllowed ? 1 : 0;
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
        Assert.That(allowed, Is.EqualTo(3 * 101_000 / 5));
    }

    [Test]
    public void Requests_by_channel_number_are_resolved_per_band()
    {
        var (gate, _) = Create("US");
        var d = gate.Decide(new RadioRequest { Channel = 36, Band = Band.Band5GHz, WidthMhz = 40, TxPowerMbm = 1000, Mode = OperatingMode.AccessPoint });
        Assert.That(d.Channel.ControlKhz, Is.EqualTo(5_180_000u));
        Assert.That(d.Channel.CenterKhz, Is.EqualTo(5_190_000u));
        var six = gate.Decide(new RadioRequest { Channel = 37, Band = Band.Band6GHz, WidthMhz = 20, TxPowerMbm = 1000, Mode = OperatingMode.Station });
        Assert.That(six.Channel.ControlKhz, Is.EqualTo(6_135_000u));
        Assert.That(six.GrantedEirpMbm, Is.EqualTo(1000));
    }
}
