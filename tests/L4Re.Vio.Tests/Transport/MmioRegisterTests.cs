using L4Re.Vio.Tests.Support;
using L4Re.Vio.Virtio;

namespace L4Re.Vio.Tests.Transport;

public class MmioRegisterTests
{
    [Test]
    public void Identification_registers_follow_virtio_mmio_version_2()
    {
        var rig = new Rig();
        Assert.That(rig.Read(MmioRegister.MagicValue), Is.EqualTo(0x74726976u));
        Assert.That(rig.Read(MmioRegister.Version), Is.EqualTo(2u));
        Assert.That(rig.Read(MmioRegister.DeviceId), Is.EqualTo(42u));
        Assert.That(rig.Read(MmioRegister.VendorId), Is.EqualTo(0x44u));
    }

    [Test]
    public void Register_offsets_match_the_spec_layout()
    {
        Assert.That((int)MmioRegister.QueueNotify, Is.EqualTo(0x50));
        Assert.That((int)MmioRegister.InterruptStatus, Is.EqualTo(0x60));
        Assert.That((int)MmioRegister.Status, Is.EqualTo(0x70));
        Assert.That((int)MmioRegister.QueueDeviceHigh, Is.EqualTo(0xa4));
        Assert.That((int)MmioRegister.ConfigGeneration, Is.EqualTo(0xfc));
        Assert.That((int)MmioRegister.Config, Is.EqualTo(0x100));
    }

    [Test]
    public void Magic_reads_byte_by_byte_as_virt()
    {
        var rig = new Rig();
        var bytes = Enumerable.Range(0, 4).Select(i => (char)rig.Transport.Read(i, 1)).ToArray();
        Assert.That(new string(bytes), Is.EqualTo("virt"));
        Assert.That(rig.Transport.Read(2, 2), Is.EqualTo(0x7472u));
    }

    [Test]
    public void Device_features_are_selected_in_32_bit_words()
    {
        var rig = new Rig(extraFeatures: VirtioFeatures.EventIdx | VirtioFeatures.IndirectDesc);
        rig.Write(MmioRegister.DeviceFeaturesSel, 0);
        Assert.That(rig.Read(MmioRegister.DeviceFeatures), Is.EqualTo((uint)(VirtioFeatures.EventIdx | VirtioFeatures.IndirectDesc)));
        rig.Write(MmioRegister.DeviceFeaturesSel, 1);
        Assert.That(rig.Read(MmioRegister.DeviceFeatures), Is.EqualTo(1u), "VERSION_1 is bit 32");
        rig.Write(MmioRegister.DeviceFeaturesSel, 2);
        Assert.That(rig.Read(MmioRegister.DeviceFeatures), Is.Zero);
        Assert.That(rig.Read(MmioRegister.DeviceFeaturesSel), Is.EqualTo(2u));
    }

    [Test]
    public void Driver_features_are_written_in_32_bit_words()
    {
        var rig = new Rig();
        rig.Write(MmioRegister.DriverFeaturesSel, 1);
        rig.Write(MmioRegister.DriverFeatures, 1);
        rig.Write(MmioRegister.DriverFeaturesSel, 0);
        rig.Write(MmioRegister.DriverFeatures, 0x3000_0000);
        rig.Write(MmioRegister.DriverFeaturesSel, 5);
        rig.Write(MmioRegister.DriverFeatures, 0xffff_ffff);
        Assert.That(rig.Device.DriverFeatures, Is.EqualTo(VirtioFeatures.Version1 | 0x3000_0000UL));
    }

    [Test]
    public void Queue_registers_are_per_selected_queue()
    {
        var rig = new Rig(queueCount: 2, queueNumMax: 128);
        rig.Write(MmioRegister.QueueSel, 1);
        Assert.That(rig.Read(MmioRegister.QueueNumMax), Is.EqualTo(128u));
        rig.Write(MmioRegister.QueueNum, 64);
        rig.Write(MmioRegister.QueueDescLow, 0x1000);
        rig.Write(MmioRegister.QueueDescHigh, 0x2);
        rig.Write(MmioRegister.QueueDriverLow, 0x3000);
        rig.Write(MmioRegister.QueueDeviceLow, 0x4000);
        rig.Write(MmioRegister.QueueDeviceHigh, 0x5);
        Assert.That(rig.Device.Queues[1].Num, Is.EqualTo(64u));
        Assert.That(rig.Device.Queues[1].DescriptorArea, Is.EqualTo(0x2_0000_1000UL));
        Assert.That(rig.Device.Queues[1].DriverArea, Is.EqualTo(0x3000UL));
        Assert.That(rig.Device.Queues[1].DeviceArea, Is.EqualTo(0x5_0000_4000UL));
        Assert.That(rig.Read(MmioRegister.QueueDescHigh), Is.EqualTo(2u));
        rig.Write(MmioRegister.QueueSel, 0);
        Assert.That(rig.Read(MmioRegister.QueueNum), Is.Zero);
        Assert.That(rig.Read(MmioRegister.QueueDescLow), Is.Zero);
    }

    [Test]
    public void A_queue_that_does_not_exist_reads_num_max_0_and_ignores_writes()
    {
        var rig = new Rig(queueCount: 1);
        rig.Write(MmioRegister.QueueSel, 7);
        Assert.That(rig.Read(MmioRegister.QueueNumMax), Is.Zero);
        rig.Write(MmioRegister.QueueNum, 16);
        rig.Write(MmioRegister.QueueReady, 1);
        Assert.That(rig.Read(MmioRegister.QueueNum), Is.Zero);
        Assert.That(rig.Read(MmioRegister.QueueReady), Is.Zero);
    }

    [Test]
    public void Shared_memory_regions_do_not_exist()
    {
        var rig = new Rig();
        rig.Write(MmioRegister.ShmSel, 0);
        Assert.That(rig.Read(MmioRegister.ShmLenLow), Is.EqualTo(uint.MaxValue));
        Assert.That(rig.Read(MmioRegister.ShmLenHigh), Is.EqualTo(uint.MaxValue));
        Assert.That(rig.Read(MmioRegister.ShmBaseLow), Is.EqualTo(uint.MaxValue));
    }

    [Test]
    public void Invalid_accesses_read_zero_and_are_ignored()
    {
        var rig = new Rig();
        Assert.That(rig.Transport.Read(1, 4), Is.Zero, "unaligned");
        Assert.That(rig.Transport.Read(0, 3), Is.Zero, "bad width");
        Assert.That(rig.Transport.Read(-4, 4), Is.Zero, "negative");
        Assert.That(rig.Transport.Read(rig.Transport.WindowSize, 4), Is.Zero, "outside the window");
        rig.Transport.Write((long)MmioRegister.Status, 2, 1);
        Assert.That(rig.Read(MmioRegister.Status), Is.Zero, "16-bit store to a common register is ignored");
        rig.Transport.Write((long)MmioRegister.Status + 1, 4, 1);
        Assert.That(rig.Read(MmioRegister.Status), Is.Zero, "unaligned store is ignored");
        rig.Write(MmioRegister.MagicValue, 0);
        Assert.That(rig.Read(MmioRegister.MagicValue), Is.EqualTo(VirtioMmioTransport.Magic), "read-only register");
    }

    [Test]
    public void Config_space_reads_at_every_width_and_beyond_it_read_zero()
    {
        var rig = new Rig();
        for (var i = 0; i < 8; i++)
            rig.Device.SetConfigByte(i, (byte)(0x10 + i));
        Assert.That(rig.Transport.Read(0x100, 1), Is.EqualTo(0x10UL));
        Assert.That(rig.Transport.Read(0x102, 2), Is.EqualTo(0x1312UL));
        Assert.That(rig.Transport.Read(0x104, 4), Is.EqualTo(0x17161514UL));
        Assert.That(rig.Transport.Read(0x100, 8), Is.EqualTo(0x1716151413121110UL));
        Assert.That(rig.Transport.Read(0x108, 4), Is.Zero);
    }

    [Test]
    public void Config_writes_reach_the_device_at_any_width()
    {
        var rig = new Rig();
        rig.Transport.Write(0x101, 1, 0xab);
        rig.Transport.Write(0x104, 4, 0x11223344);
        Assert.That(rig.Device.ConfigWrites[1], Is.EqualTo(0xab));
        Assert.That(rig.Device.ConfigWrites[4..8], Is.EqualTo(new byte[] { 0x44, 0x33, 0x22, 0x11 }));
    }

    [Test]
    public void Config_generation_changes_with_the_config_and_on_reset()
    {
        var rig = new Rig();
        var g0 = rig.Read(MmioRegister.ConfigGeneration);
        rig.Device.SetConfigByte(0, 1);
        var g1 = rig.Read(MmioRegister.ConfigGeneration);
        rig.Write(MmioRegister.Status, 0);
        var g2 = rig.Read(MmioRegister.ConfigGeneration);
        Assert.That(g1, Is.Not.EqualTo(g0));
        Assert.That(g2, Is.Not.EqualTo(g1));
    }

    [Test]
    public void Config_change_interrupts_only_a_running_driver()
    {
        var rig = new Rig();
        rig.Device.SetConfigByte(0, 1);
        Assert.That(rig.Read(MmioRegister.InterruptStatus), Is.Zero);
        rig.Start();
        rig.Device.SetConfigByte(0, 2);
        Assert.That(rig.Read(MmioRegister.InterruptStatus), Is.EqualTo((uint)InterruptStatus.ConfigChange));
        Assert.That(rig.Line.Level, Is.True);
    }

    [Test]
    public void Interrupt_ack_clears_bits_and_lowers_the_line_when_none_is_left()
    {
        var rig = new Rig();
        rig.Transport.Interrupt(InterruptStatus.UsedBuffer | InterruptStatus.ConfigChange);
        Assert.That(rig.Line.Level, Is.True);
        Assert.That(rig.Line.Raises, Is.EqualTo(1));
        rig.Write(MmioRegister.InterruptAck, 1);
        Assert.That(rig.Read(MmioRegister.InterruptStatus), Is.EqualTo(2u));
        Assert.That(rig.Line.Level, Is.True);
        rig.Write(MmioRegister.InterruptAck, 2);
        Assert.That(rig.Read(MmioRegister.InterruptStatus), Is.Zero);
        Assert.That(rig.Line.Level, Is.False);
        Assert.That(rig.Line.Lowers, Is.EqualTo(1));
    }

    [Test]
    public void Write_only_registers_read_back_the_last_value_as_in_uvmm()
    {
        var rig = new Rig();
        rig.Write(MmioRegister.QueueSel, 3);
        rig.Write(MmioRegister.DriverFeaturesSel, 1);
        rig.Write(MmioRegister.DriverFeatures, 1);
        Assert.That(rig.Read(MmioRegister.QueueSel), Is.EqualTo(3u));
        Assert.That(rig.Read(MmioRegister.DriverFeaturesSel), Is.EqualTo(1u));
        Assert.That(rig.Read(MmioRegister.DriverFeatures), Is.EqualTo(1u));
        Assert.That(rig.Read(MmioRegister.InterruptAck), Is.Zero);
    }

    [Test]
    public void Queue_notify_before_setup_is_ignored()
    {
        var rig = new Rig();
        rig.Write(MmioRegister.QueueNotify, 0);
        rig.Write(MmioRegister.QueueNotify, 99);
        Assert.That(rig.Device.NotifyCount, Is.Zero);
        Assert.That(rig.Read(MmioRegister.Status), Is.Zero);
    }

    [Test]
    public void Window_covers_the_config_space()
    {
        var rig = new Rig();
        Assert.That(rig.Transport.WindowSize, Is.EqualTo(0x200));
    }

    [Test]
    public void A_device_takes_only_one_transport()
    {
        var rig = new Rig();
        Assert.Throws<InvalidOperationException>(() => _ = new VirtioMmioTransport(rig.Device));
    }

    [Test]
    public void A_notify_handler_defers_queue_processing()
    {
        var rig = new Rig();
        var q = rig.Start()[0];
        var notified = new List<int>();
        rig.Transport.QueueNotifyHandler = notified.Add;
        q.Add([new L4Re.Vio.Driver.DriverBuffer(rig.Ram.Put([1]), 1), new L4Re.Vio.Driver.DriverBuffer(rig.Ram.Alloc(1), 1, true)]);
        rig.Driver.Kick(q, 0);
        Assert.That(notified, Is.EqualTo(new[] { 0 }));
        Assert.That(rig.Device.Processed, Is.Zero);
        lock (rig.Device.SyncRoot)
            rig.Device.Notify(0);
        Assert.That(rig.Device.Processed, Is.EqualTo(1));
    }
}
