using L4Re.Platform.BaikalT.Vm;

namespace PrplRouter;

/// <summary>The outcome of the sample's run.</summary>
/// <param name="Expectations">Every expectation with its outcome.</param>
/// <param name="Vm">How the OpenWrt VM ended.</param>
/// <param name="PcapPath">Where the monitor capture was written.</param>
/// <param name="PcapFrames">Frames in the capture.</param>
/// <param name="VirtualSeconds">Virtual time the run took.</param>
public sealed record ScenarioResult(IReadOnlyList<Expectation> Expectations, VmRunResult Vm, string PcapPath, long PcapFrames, double VirtualSeconds)
{
    /// <summary>True when every expectation was met.</summary>
    public bool Success => Expectations.Count > 0 && Expectations.All(e => e.Met);
}
