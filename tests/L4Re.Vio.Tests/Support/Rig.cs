using L4Re.Vio.Driver;
using L4Re.Vio.Virtio;

namespace L4Re.Vio.Tests.Support;

/// <summary>An echo device behind an MMIO transport with a recording interrupt line and a driver.</summary>
internal sealed class Rig
{
    public Rig(int queueCount = 1, int queueNumMax = 256, ulong extraFeatures = 0, int pages = 64)
    {
        Ram = new GuestRam(pages);
        Device = new EchoDevice(Ram.Memory, queueCount, queueNumMax, 8, extraFeatures);
        Line = new RecordingLine();
        Transport = new VirtioMmioTransport(Device, Line);
        Driver = new VirtioMmioDriver(Transport, Ram.Memory, Ram.Allocator);
    }

    public GuestRam Ram { get; }

    public EchoDevice Device { get; }

    public RecordingLine Line { get; }

    public VirtioMmioTransport Transport { get; }

    public VirtioMmioDriver Driver { get; }

    public uint Read(MmioRegister r) => Transport.Read(r);

    public void Write(MmioRegister r, uint v) => Transport.Write(r, v);

    /// <summary>Initializes, sets up every queue and sets DRIVER_OK.</summary>
    public VirtqueueDriver[] Start(ulong features = 0, int size = 0)
    {
        Driver.Initialize(features);
        var queues = new VirtqueueDriver[Device.Queues.Count];
        for (var i = 0; i < queues.Length; i++)
            queues[i] = Driver.SetupQueue(i, size);
        Driver.DriverOk();
        return queues;
    }
}
