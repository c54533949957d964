using L4Re.Vio.Capture;
using L4Re.Vio.Devices.Net;

namespace L4Re.Vio.Switch;

/// <summary>A receive-only switch port that writes every frame delivered to it into a pcap file (typically the monitor port).</summary>
public sealed class PcapPort : SwitchPort
{
    internal PcapPort(string name, PcapWriter writer)
        : base(name, MacAddress.Unknown)
    {
        Writer = writer;
    }

    /// <summary>The capture the frames go to.</summary>
    public PcapWriter Writer { get; }

    internal override DeliveryResult Deliver(SwitchPort source, ref FrameReader frame, NetHeader header)
    {
        Writer.Write(ref frame);
        return DeliveryResult.Delivered;
    }

    internal override bool TryTakeRequest(out NetTransmit request)
    {
        request = default;
        return false;
    }

    internal override void CompleteRequest(in NetTransmit request)
    {
    }
}
