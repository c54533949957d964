using L4Re.Regulatory.Dfs;
using L4Re.Regulatory.Gate;
using L4Re.Regulatory.Rules;

namespace L4Re.Regulatory.Reporting;

/// <summary>One-shot questions to the rules, as <c>l4re regdb check</c> asks them.</summary>
public static class RegdbQueries
{
    /// <summary>
    /// Asks a fresh gate for <paramref name="domain"/> about <paramref name="request"/>, on a radio with every standard
    /// channel and no limits of its own (<see cref="InterfaceCapabilities.Unrestricted"/>), so the answer shows the
    /// rules alone. With <paramref name="cacDone"/> a CAC on the requested channel is run to completion on a virtual
    /// clock first (when the channel needs one).
    /// </summary>
    public static GateDecision Check(RegDomain domain, in RadioRequest request, bool cacDone, GateOptions? options = null)
    {
        var clock = new ManualClock();
        var gate = new RegulatoryPolicyGate(domain, InterfaceCapabilities.Unrestricted(), clock, null, options);
        var control = request.FrequencyKhz != 0 ? request.FrequencyKhz : ChannelNumbering.ChannelToFrequencyKhz(request.Channel, request.Band);
        if (cacDone && ChannelDefinition.TryCreate(control, request.WidthMhz, request.CenterFrequencyKhz, out var chandef) &&
            gate.Dfs.StartCac(chandef) == CacStartResult.Started)
        {
            clock.Advance(gate.Dfs.CacEndsAt!.Value - clock.Now);
            gate.Dfs.Update();
        }
        return gate.Decide(request);
    }
}
