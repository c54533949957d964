using L4Re.Vio.Tests.Support;
using L4Re.Vio.Virtio;

namespace L4Re.Vio.Tests.Transport;

public class StatusStateMachineTests
{
    private static void Status(Rig rig, DeviceStatus s) => rig.Write(MmioRegister.Status, (uint)s);

    private static DeviceStatus Status(Rig rig) => (DeviceStatus)rig.Read(MmioRegister.Status);

    private const DeviceStatus AckDriver = DeviceStatus.Acknowledge | DeviceStatus.Driver;

    [Test]
    public void The_full_initialization_sequence_reaches_driver_ok()
    {
        var rig = new Rig(extraFeatures: VirtioFeatures.EventIdx);
        rig.Start(VirtioFeatures.EventIdx);
        Assert.That(Status(rig), Is.EqualTo(AckDriver | DeviceStatus.FeaturesOk | DeviceStatus.DriverOk));
        Assert.That(rig.Device.NegotiatedFeatures, Is.EqualTo(VirtioFeatures.Version1 | VirtioFeatures.EventIdx));
        Assert.That(rig.Device.IsRunning, Is.True);
    }

    [Test]
    public void Features_ok_is_refused_without_version_1()
    {
        var rig = new Rig();
        Status(rig, AckDriver);
        rig.Driver.WriteFeatures(0);
        Status(rig, AckDriver | DeviceStatus.FeaturesOk);
        Assert.That(Status(rig), Is.EqualTo(AckDriver));
        Assert.That(rig.Device.NegotiatedFeatures, Is.Zero);
    }

    [Test]
    public void Features_ok_is_refused_for_features_the_device_did_not_offer()
    {
        var rig = new Rig();
        Status(rig, AckDriver);
        rig.Driver.WriteFeatures(VirtioFeatures.Version1 | VirtioFeatures.IndirectDesc);
        Status(rig, AckDriver | DeviceStatus.FeaturesOk);
        Assert.That(Status(rig) & DeviceStatus.FeaturesOk, Is.EqualTo(DeviceStatus.None));
    }

    [TestCase(DeviceStatus.Driver)]
    [TestCase(DeviceStatus.Acknowledge | DeviceStatus.FeaturesOk)]
    [TestCase(DeviceStatus.Acknowledge | DeviceStatus.Driver | DeviceStatus.DriverOk)]
    public void Bits_set_out_of_order_need_a_reset(DeviceStatus status)
    {
        var rig = new Rig();
        Status(rig, status);
        Assert.That(Status(rig) & DeviceStatus.DeviceNeedsReset, Is.EqualTo(DeviceStatus.DeviceNeedsReset));
        Assert.That(rig.Read(MmioRegister.InterruptStatus), Is.Zero, "no notification before DRIVER_OK");
    }

    [Test]
    public void Driver_ok_with_a_queue_not_ready_needs_a_reset()
    {
        var rig = new Rig(queueCount: 2);
        rig.Driver.Initialize(0);
        rig.Driver.SetupQueue(0);
        rig.Driver.DriverOk();
        Assert.That(Status(rig) & DeviceStatus.DeviceNeedsReset, Is.EqualTo(DeviceStatus.DeviceNeedsReset));
        Assert.That(rig.Device.IsRunning, Is.False);
    }

    [Test]
    public void Fail_state_is_sticky_until_reset()
    {
        var rig = new Rig();
        Status(rig, DeviceStatus.Driver);
        Status(rig, AckDriver);
        Assert.That(Status(rig) & DeviceStatus.DeviceNeedsReset, Is.EqualTo(DeviceStatus.DeviceNeedsReset));
        Status(rig, DeviceStatus.None);
        Assert.That(Status(rig), Is.EqualTo(DeviceStatus.None));
        Status(rig, DeviceStatus.Acknowledge);
        Assert.That(Status(rig), Is.EqualTo(DeviceStatus.Acknowledge));
    }

    [Test]
    public void Failed_written_by_the_driver_sticks()
    {
        var rig = new Rig();
        Status(rig, DeviceStatus.Acknowledge);
        Status(rig, DeviceStatus.Acknowledge | DeviceStatus.Failed);
        Status(rig, AckDriver);
        Assert.That(Status(rig), Is.EqualTo(DeviceStatus.Acknowledge | DeviceStatus.Failed));
    }

    [Test]
    public void Reset_clears_queues_features_and_interrupts()
    {
        var rig = new Rig();
        rig.Start();
        rig.Transport.Interrupt(InterruptStatus.UsedBuffer);
        Assert.That(rig.Line.Level, Is.True);
        Status(rig, DeviceStatus.None);
        Assert.That(rig.Device.Queues[0].IsReady, Is.False);
        Assert.That(rig.Read(MmioRegister.QueueReady), Is.Zero);
        Assert.That(rig.Read(MmioRegister.QueueNum), Is.Zero);
        Assert.That(rig.Device.NegotiatedFeatures, Is.Zero);
        Assert.That(rig.Device.DriverFeatures, Is.Zero);
        Assert.That(rig.Read(MmioRegister.InterruptStatus), Is.Zero);
        Assert.That(rig.Line.Level, Is.False);
        Assert.That(rig.Device.ResetCount, Is.EqualTo(2), "Initialize resets once, then the explicit reset");
    }

    [Test]
    public void Queue_setup_before_features_ok_is_refused()
    {
        var rig = new Rig();
        Status(rig, AckDriver);
        rig.Write(MmioRegister.QueueSel, 0);
        rig.Write(MmioRegister.QueueNum, 16);
        rig.Driver.WriteQueueAddresses(GuestRam.Base, GuestRam.Base + 0x1000, GuestRam.Base + 0x2000);
        rig.Write(MmioRegister.QueueReady, 1);
        Assert.That(rig.Read(MmioRegister.QueueReady), Is.Zero);
    }

    [TestCase(0u, 0x1000, 0x2000, 0x3000, TestName = "size 0")]
    [TestCase(24u, 0x1000, 0x2000, 0x3000, TestName = "size not a power of two")]
    [TestCase(512u, 0x1000, 0x2000, 0x3000, TestName = "size above QueueNumMax")]
    [TestCase(16u, 0x1008, 0x2000, 0x3000, TestName = "descriptor table not 16-byte aligned")]
    [TestCase(16u, 0x1000, 0x2001, 0x3000, TestName = "driver area not 2-byte aligned")]
    [TestCase(16u, 0x1000, 0x2000, 0x3002, TestName = "device area not 4-byte aligned")]
    [TestCase(16u, 0x1000, 0x2000, 0x7fff_f000, TestName = "device area outside driver memory")]
    [TestCase(16u, 0x3_ffff_fff0, 0x2000, 0x3000, TestName = "descriptor table straddles the end of memory")]
    public void Queue_setup_with_bad_parameters_leaves_the_queue_disabled(uint num, long desc, long driver, long device)
    {
        var rig = new Rig(pages: 4);
        rig.Driver.Initialize(0);
        rig.Write(MmioRegister.QueueSel, 0);
        rig.Write(MmioRegister.QueueNum, num);
        rig.Driver.WriteQueueAddresses(
            desc > 0x1_0000_0000 ? (ulong)desc : GuestRam.Base + (ulong)desc,
            GuestRam.Base + (ulong)driver,
            GuestRam.Base + (ulong)device);
        rig.Write(MmioRegister.QueueReady, 1);
        Assert.That(rig.Read(MmioRegister.QueueReady), Is.Zero);
        rig.Driver.DriverOk();
        Assert.That(Status(rig) & DeviceStatus.DeviceNeedsReset, Is.EqualTo(DeviceStatus.DeviceNeedsReset), "l4virtio check_queues at DRIVER_OK");
    }

    [Test]
    public void The_used_ring_must_be_writable()
    {
        var rig = new Rig();
        var ro = new L4Re.Kernel.Memory.Dataspace(L4Re.Kernel.Memory.Dataspace.PageSize, "ro");
        rig.Ram.Memory.Add(0x9000_0000, ro.Size, ro, writable: false);
        rig.Driver.Initialize(0);
        rig.Write(MmioRegister.QueueNum, 16);
        rig.Driver.WriteQueueAddresses(0x9000_0000, 0x9000_0100, 0x9000_0200);
        rig.Write(MmioRegister.QueueReady, 1);
        Assert.That(rig.Read(MmioRegister.QueueReady), Is.Zero);
        rig.Driver.WriteQueueAddresses(0x9000_0000, 0x9000_0100, GuestRam.Base);
        rig.Write(MmioRegister.QueueReady, 1);
        Assert.That(rig.Read(MmioRegister.QueueReady), Is.EqualTo(1u), "descriptor table and available ring may be read-only");
    }

    [Test]
    public void Writing_queue_ready_0_disables_the_queue()
    {
        var rig = new Rig();
        rig.Start();
        rig.Write(MmioRegister.QueueSel, 0);
        rig.Write(MmioRegister.QueueReady, 0);
        Assert.That(rig.Read(MmioRegister.QueueReady), Is.Zero);
        Assert.That(rig.Device.Queues[0].IsReady, Is.False);
    }

    [Test]
    public void A_device_error_after_driver_ok_sends_a_config_change_notification()
    {
        var rig = new Rig();
        rig.Start();
        rig.Device.DeviceError("test");
        Assert.That(Status(rig) & DeviceStatus.DeviceNeedsReset, Is.EqualTo(DeviceStatus.DeviceNeedsReset));
        Assert.That(rig.Read(MmioRegister.InterruptStatus), Is.EqualTo((uint)InterruptStatus.ConfigChange));
        Assert.That(rig.Line.Level, Is.True);
        Assert.That(rig.Read(MmioRegister.QueueReady), Is.Zero, "queues stop");
        Assert.That(rig.Device.LastDeviceError, Is.EqualTo("test"));
    }

    [Test]
    public void Driver_features_written_after_features_ok_do_not_change_the_negotiated_set()
    {
        var rig = new Rig(extraFeatures: VirtioFeatures.EventIdx);
        rig.Driver.Initialize(0);
        rig.Driver.WriteFeatures(VirtioFeatures.Version1 | VirtioFeatures.EventIdx);
        Assert.That(rig.Device.NegotiatedFeatures, Is.EqualTo(VirtioFeatures.Version1));
    }

    [Test]
    public void A_reinitialization_after_reset_works()
    {
        var rig = new Rig();
        rig.Start();
        rig.Start();
        Assert.That(rig.Device.IsRunning, Is.True);
    }
}
