using L4Re.Vio.Devices.Net;
using L4Re.Vio.Driver;
using L4Re.Vio.Switch;
using L4Re.Vio.Virtio;

namespace L4Re.Vio.Tests.Support;

/// <summary>A "guest" with its own RAM and a virtio-net driver on a switch port.</summary>
internal sealed class GuestNic
{
    public GuestNic(VirtualSwitch sw, string[] portArgs, ulong features = VirtioNetDriver.DefaultFeatures, int bufferSize = 12 + 1514, int queueSize = 0, int pages = 256)
    {
        Ram = new GuestRam(pages);
        Port = sw.CreatePort(PortOptions.Parse(portArgs), Ram.Memory);
        Line = new RecordingLine();
        Transport = new VirtioMmioTransport(Port.Device, Line);
        Driver = new VirtioNetDriver(Transport, Ram.Memory, Ram.Allocator, features, bufferSize, queueSize);
        Driver.Start();
    }

    public GuestRam Ram { get; }

    public VirtioNetPort Port { get; }

    public RecordingLine Line { get; }

    public VirtioMmioTransport Transport { get; }

    public VirtioNetDriver Driver { get; }

    public MacAddress Mac => Driver.Mac;

    public bool Send(byte[] frame) => Driver.Send(frame);

    /// <summary>All frames received so far (buffers are re-posted and the receive queue kicked).</summary>
    public List<byte[]> ReceiveAll()
    {
        var list = new List<byte[]>();
        var buf = new byte[70000];
        int n;
        while ((n = Driver.TryReceive(buf)) >= 0)
            list.Add(buf.AsSpan(0, n).ToArray());
        Driver.Kick();
        return list;
    }
}
