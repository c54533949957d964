using FsCheck;
using FsCheck.Fluent;
using L4Re.Regulatory.Dfs;
using L4Re.Regulatory.Gate;
using L4Re.Regulatory.Rules;
using static L4Re.Regulatory.Tests.Generators;

namespace L4Re.Regulatory.Tests;

/// <summary>
/// The invariants of the reference (shared/reference/regulatory.md) as FsCheck properties, with fixed seeds.
/// Together with the other properties these run well over 10^5 cases per CI run.
/// </summary>
public class GateProperties
{
    internal sealed record Setup(RegulatoryPolicyGate Gate, bool DfsAvailable, bool Radar);

    /// <summary>Builds a gate for <paramref name="domain"/> and replays <paramref name="history"/> on the request's channel.</summary>
    internal static Setup Build(RegDomain domain, RadioRequest request, History history, NoIrAfterCacPolicy policy,
        InterfaceCapabilities? caps = null)
    {
        var clock = new ManualClock();
        var gate = new RegulatoryPolicyGate(domain, caps ?? InterfaceCapabilities.Unrestricted(), clock, null,
            new GateOptions { NoIrAfterCac = policy });
        var available = false;
        var radar = false;
        if (ChannelDefinition.TryCreate(request.FrequencyKhz, request.WidthMhz, 0, out var chandef))
        {
            if (history is History.Cac or History.CacThenRadar && gate.Dfs.StartCac(chandef) == CacStartResult.Started)
            {
                clock.Advance(gate.Dfs.CacEndsAt!.Value - clock.Now);
                gate.Dfs.Update();
                available = true;
            }
            if (history is History.Radar or History.CacThenRadar && gate.Dfs.RadarDetected(chandef) > 0)
            {
                radar = true;
                available = false;
            }
        }
        return new Setup(gate, available, radar);
    }

    private static readonly Gen<(RegDomain Domain, RadioRequest Request, History History, NoIrAfterCacPolicy Policy)> Scenario =
        from d in AnyDomain
        from r in RequestFor(d)
        from h in Histories
        from p in Policies
        select (d, r, h, p);

    internal static string Describe(RegDomain d, RadioRequest r, GateDecision decision, object? extra = null) =>
        $"domain {d.Alpha2} {d.DfsRegion}: {string.Join(" ", d.Rules.Select(x => $"[{x}]"))}\n" +
        $"request {r.FrequencyKhz} kHz/{r.WidthMhz} MHz tx {r.TxPowerMbm} gain {r.AntennaGainMbi} {r.Mode} outdoor={r.Outdoor}\n" +
        $"decision {decision} tx {decision.GrantedTxPowerMbm} limit {decision.EirpLimitMbm} sub {decision.SubchannelKhz}\n{extra}";

    private static Property Check(bool ok, Func<string> describe) => ok ? true.ToProperty() : false.Label(describe());

    [FsCheck.NUnit.Property(MaxTest = 30_000, Replay = "(101,2003)", QuietOnSuccess = true)]
    public Property Decisions_match_the_rules_and_accepted_requests_lie_inside_them() =>
        Prop.ForAll(Scenario.ToArbitrary(), s =>
        {
            var (domain, request, history, policy) = s;
            var setup = Build(domain, request, history, policy);
            var decision = setup.Gate.Decide(request);
            var valid = request.WidthMhz is 20 or 40 or 80 or 160 && request.TxPowerMbm is >= -10_000 and <= 10_000 &&
                        ChannelDefinition.TryCreate(request.FrequencyKhz, request.WidthMhz, 0, out var chandef) &&
                        Enumerable.Range(0, chandef.SubchannelCount).All(i => setup.Gate.Channels.IndexOf(chandef.SubchannelKhz(i)) >= 0);
            if (!valid)
                return Check(!decision.IsAllowed, () => Describe(domain, request, decision, "invalid request allowed"));
            var gain = Math.Max(request.AntennaGainMbi, 0);
            var oracle = RuleOracle.Judge(domain, decision.Channel, request.Mode, request.Outdoor, setup.DfsAvailable, setup.Radar, policy);
            if (decision.IsAllowed != oracle.Allowed)
                return Check(false, () => Describe(domain, request, decision, $"{oracle} {history} {policy}"));
            if (!decision.IsAllowed)
                return Check(decision.GrantedEirpMbm == 0, () => "granted on refusal");
            var expectedTx = Math.Min(request.TxPowerMbm, oracle.EirpLimitMbm - gain);
            return Check(decision.GrantedTxPowerMbm == expectedTx &&
                   decision.GrantedEirpMbm == expectedTx + gain &&
                   decision.GrantedEirpMbm <= oracle.MinRawEirpMbm &&
                   decision.GrantedTxPowerMbm <= request.TxPowerMbm &&
                   decision.Verdict == (expectedTx < request.TxPowerMbm ? GateVerdict.Clamp : GateVerdict.Accept) &&
                   decision.Channel.ControlKhz == request.FrequencyKhz && decision.Channel.WidthMhz == request.WidthMhz,
                () => Describe(domain, request, decision, $"{oracle} expected tx {expectedTx}"));
        });

    [FsCheck.NUnit.Property(MaxTest = 15_000, Replay = "(202,3005)", QuietOnSuccess = true)]
    public Property Clamping_never_raises_power_and_is_idempotent() =>
        Prop.ForAll(Scenario.ToArbitrary(), s =>
        {
            var (domain, request, history, policy) = s;
            var setup = Build(domain, request, history, policy, InterfaceCapabilities.DualBandRouter());
            var first = setup.Gate.Decide(request);
            if (first.Verdict != GateVerdict.Clamp)
                return true;
            var again = setup.Gate.Decide(request with { TxPowerMbm = first.GrantedTxPowerMbm });
            var lower = setup.Gate.Decide(request with { TxPowerMbm = first.GrantedTxPowerMbm - 1 });
            return first.GrantedTxPowerMbm < request.TxPowerMbm &&
                   again.Verdict == GateVerdict.Accept && again.GrantedTxPowerMbm == first.GrantedTxPowerMbm &&
                   again.GrantedEirpMbm == first.GrantedEirpMbm && again.Channel == first.Channel &&
                   lower.Verdict == GateVerdict.Accept;
        });

    private static RegDomain Tighten(RegDomain d, int index, int how, int amount)
    {
        var rules = d.Rules.ToArray();
        var r = rules[index % rules.Length];
        rules[index % rules.Length] = (how % 5) switch
        {
            0 => r.WithMaxEirp(Math.Max(0, r.MaxEirpMbm - amount)),
            1 => r.WithFlags(r.Flags | (RegRuleFlags)(1 << (amount % 4))), // NO-OFDM, NO-OUTDOOR, DFS, NO-IR
            2 => r.WithMaxBandwidth(r.MaxBandwidthKhz * (uint)(amount % 4) / 4),
            3 => r.WithFlags(r.Flags & ~RegRuleFlags.AutoBw),
            _ => r.WithMaxEirp(Math.Max(0, r.MaxEirpMbm - amount)).WithFlags(r.Flags | RegRuleFlags.NoIr),
        };
        return new RegDomain(d.Alpha2, d.DfsRegion, rules);
    }

    [FsCheck.NUnit.Property(MaxTest = 20_000, Replay = "(303,4007)", QuietOnSuccess = true)]
    public Property Tightening_a_rule_never_enlarges_what_is_accepted() =>
        Prop.ForAll((from s in Scenario
                     from index in Gen.Choose(0, 10)
                     from how in Gen.Choose(0, 4)
                     from amount in Gen.Choose(1, 1000)
                     select (s, index, how, amount)).ToArbitrary(), t =>
        {
            var ((domain, request, history, _), index, how, amount) = t;
            // Strict policy: with cfg80211's waiver, adding DFS to a NO-IR rule can allow more (a documented reason to keep it off).
            var tight = Tighten(domain, index, how, amount);
            var loose = Build(domain, request, history, NoIrAfterCacPolicy.Strict).Gate.Decide(request);
            var strict = Build(tight, request, history, NoIrAfterCacPolicy.Strict).Gate.Decide(request);
            return !strict.IsAllowed || (loose.IsAllowed && strict.GrantedEirpMbm <= loose.GrantedEirpMbm);
        });

    [FsCheck.NUnit.Property(MaxTest = 20_000, Replay = "(404,5009)", QuietOnSuccess = true)]
    public Property Intersection_allows_no_more_than_either_side() =>
        Prop.ForAll((from pair in DomainPair
                     from r in Gen.Frequency((1, RequestFor(pair.A)), (1, RequestFor(pair.B)))
                     from h in Histories
                     select (pair, r, h)).ToArbitrary(), t =>
        {
            var ((a, b), request, history) = t;
            var both = RegDomainIntersection.Intersect(a, b);
            if (both is null)
                return true;
            var d = Build(both, request, history, NoIrAfterCacPolicy.Strict).Gate.Decide(request);
            if (!d.IsAllowed)
                return true;
            var da = Build(a, request, history, NoIrAfterCacPolicy.Strict).Gate.Decide(request);
            var db = Build(b, request, history, NoIrAfterCacPolicy.Strict).Gate.Decide(request);
            return da.IsAllowed && db.IsAllowed && d.GrantedEirpMbm <= Math.Min(da.GrantedEirpMbm, db.GrantedEirpMbm);
        });

    [FsCheck.NUnit.Property(MaxTest = 10_000, Replay = "(505,6011)", QuietOnSuccess = true)]
    public Property Untrusted_requests_only_narrow_and_never_change_the_gate() =>
        Prop.ForAll((from d in AnyDomain
                     from requests in Gen.ArrayOf(RequestFor(d), 8)
                     from probe in RequestFor(d)
                     from country in Gen.Elements("US", "00", "JP", "DE", "", "ZZ")
                     select (d, requests, probe, country)).ToArbitrary(), t =>
        {
            var (domain, requests, probe, country) = t;
            var gate = new RegulatoryPolicyGate(domain, InterfaceCapabilities.Unrestricted(), new ManualClock());
            var before = gate.Decide(probe);
            var narrowed = true;
            foreach (var r in requests)
            {
                var d = gate.Decide(r);
                narrowed &= !d.IsAllowed || (d.GrantedTxPowerMbm <= r.TxPowerMbm && d.Channel.WidthMhz == r.WidthMhz && d.Channel.ControlKhz == r.FrequencyKhz);
                narrowed &= gate.RequestCountryChange(country).Verdict == GateVerdict.Refuse;
            }
            var after = gate.Decide(probe);
            return narrowed && ReferenceEquals(gate.Country, domain) &&
                   after.Verdict == before.Verdict && after.Reason == before.Reason && after.GrantedEirpMbm == before.GrantedEirpMbm &&
                   gate.Counters.Total == (2 * requests.Length) + 2;
        });
}
