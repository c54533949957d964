using L4Re.Vio.Driver;
using L4Re.Vio.Tests.Support;
using L4Re.Vio.Virtio;

namespace L4Re.Vio.Tests.Virtqueues;

public class SplitQueueTests
{
    private static (ulong In, ulong Out) Buffers(Rig rig, byte[] payload, int outLength)
    {
        var input = rig.Ram.Put(payload);
        var output = rig.Ram.Alloc(outLength);
        return (input, output);
    }

    private static void Kick(Rig rig, VirtqueueDriver q) => rig.Driver.Kick(q, 0);

    [Test]
    public void A_chain_is_processed_and_returned_with_the_written_length()
    {
        var rig = new Rig();
        var q = rig.Start()[0];
        var (input, output) = Buffers(rig, "hello virtio"u8.ToArray(), 64);
        var head = q.Add([new DriverBuffer(input, 12), new DriverBuffer(output, 64, true)]);
        Kick(rig, q);
        Assert.That(q.TryGetUsed(out var usedHead, out var written), Is.True);
        Assert.That(usedHead, Is.EqualTo((ushort)head));
        Assert.That(written, Is.EqualTo(12u));
        Assert.That(rig.Ram.At(output, 12).ToArray(), Is.EqualTo("hello virtio"u8.ToArray()));
        Assert.That(rig.Read(MmioRegister.InterruptStatus), Is.EqualTo((uint)InterruptStatus.UsedBuffer));
        Assert.That(rig.Line.Level, Is.True);
        Assert.That(q.FreeDescriptors, Is.EqualTo(q.Size));
    }

    [Test]
    public void Scattered_chains_are_gathered_in_order()
    {
        var rig = new Rig();
        var q = rig.Start()[0];
        var a = rig.Ram.Put([1, 2, 3]);
        var b = rig.Ram.Put([4]);
        var c = rig.Ram.Put([5, 6, 7, 8, 9]);
        var o1 = rig.Ram.Alloc(4);
        var o2 = rig.Ram.Alloc(16);
        q.Add([new DriverBuffer(a, 3), new DriverBuffer(b, 1), new DriverBuffer(c, 5), new DriverBuffer(o1, 4, true), new DriverBuffer(o2, 16, true)]);
        Kick(rig, q);
        Assert.That(q.TryGetUsed(out _, out var written), Is.True);
        Assert.That(written, Is.EqualTo(9u));
        Assert.That(rig.Ram.At(o1, 4).ToArray().Concat(rig.Ram.At(o2, 5).ToArray()), Is.EqualTo(Enumerable.Range(1, 9).Select(i => (byte)i)));
    }

    [Test]
    public void Indirect_tables_are_followed_when_negotiated()
    {
        var rig = new Rig(extraFeatures: VirtioFeatures.IndirectDesc);
        var q = rig.Start(VirtioFeatures.IndirectDesc)[0];
        var input = rig.Ram.Put([9, 8, 7]);
        var output = rig.Ram.Alloc(8);
        var table = rig.Ram.Alloc(32);
        q.AddIndirect(table, [new DriverBuffer(input, 3), new DriverBuffer(output, 8, true)]);
        Kick(rig, q);
        Assert.That(q.TryGetUsed(out _, out var written), Is.True);
        Assert.That(written, Is.EqualTo(3u));
        Assert.That(rig.Ram.At(output, 3).ToArray(), Is.EqualTo(new byte[] { 9, 8, 7 }));
    }

    [Test]
    public void Indirect_without_the_feature_needs_a_reset()
    {
        var rig = new Rig(extraFeatures: VirtioFeatures.IndirectDesc);
        var q = rig.Start()[0];
        var table = rig.Ram.Alloc(16);
        q.AddIndirect(table, [new DriverBuffer(rig.Ram.Alloc(4), 4)]);
        Kick(rig, q);
        AssertNeedsReset(rig, VirtqueueError.BadFlags);
    }

    [Test]
    public void Event_idx_suppresses_interrupts_until_used_event_is_passed()
    {
        var rig = new Rig(extraFeatures: VirtioFeatures.EventIdx);
        var q = rig.Start(VirtioFeatures.EventIdx)[0];
        q.SetUsedEvent(2); // interrupt when the used index passes 2, i.e. after the third buffer
        for (var i = 0; i < 3; i++)
        {
            var o = rig.Ram.Alloc(4);
            q.Add([new DriverBuffer(rig.Ram.Put([(byte)i]), 1), new DriverBuffer(o, 4, true)]);
            rig.Driver.Kick(q, 0);
            // The driver always notifies: the device's avail_event follows what it consumed.
            Assert.That(q.ReadAvailEvent(), Is.EqualTo((ushort)(i + 1)));
            var expected = i == 2 ? 1u : 0u;
            Assert.That(rig.Read(MmioRegister.InterruptStatus), Is.EqualTo(expected), $"after buffer {i}");
        }
    }

    [Test]
    public void Event_idx_avail_event_suppresses_driver_notifications()
    {
        var rig = new Rig(extraFeatures: VirtioFeatures.EventIdx);
        var q = rig.Start(VirtioFeatures.EventIdx)[0];
        q.Add([new DriverBuffer(rig.Ram.Put([1]), 1), new DriverBuffer(rig.Ram.Alloc(1), 1, true)]);
        Assert.That(rig.Driver.Kick(q, 0), Is.True, "avail_event 0 is passed by index 1");
        Assert.That(rig.Device.NotifyCount, Is.EqualTo(2), "one at DRIVER_OK, one now");
        Assert.That(q.ReadAvailEvent(), Is.EqualTo((ushort)1));
        // A second batch of two: the first publish passes avail_event 1 -> notify; nothing in between.
        q.Add([new DriverBuffer(rig.Ram.Put([2]), 1), new DriverBuffer(rig.Ram.Alloc(1), 1, true)]);
        q.Add([new DriverBuffer(rig.Ram.Put([3]), 1), new DriverBuffer(rig.Ram.Alloc(1), 1, true)]);
        Assert.That(rig.Driver.Kick(q, 0), Is.True);
        Assert.That(rig.Device.Processed, Is.EqualTo(3));
        Assert.That(rig.Driver.Kick(q, 0), Is.False, "nothing new published");
    }

    [Test]
    public void No_interrupt_flag_is_respected_without_event_idx()
    {
        var rig = new Rig();
        var q = rig.Start()[0];
        q.DisableInterrupts();
        q.Add([new DriverBuffer(rig.Ram.Put([1]), 1), new DriverBuffer(rig.Ram.Alloc(1), 1, true)]);
        Kick(rig, q);
        Assert.That(rig.Device.Processed, Is.EqualTo(1));
        Assert.That(rig.Read(MmioRegister.InterruptStatus), Is.Zero);
        q.EnableInterrupts();
        q.Add([new DriverBuffer(rig.Ram.Put([1]), 1), new DriverBuffer(rig.Ram.Alloc(1), 1, true)]);
        Kick(rig, q);
        Assert.That(rig.Read(MmioRegister.InterruptStatus), Is.EqualTo(1u));
    }

    [Test]
    public void The_device_clears_no_notify_after_processing()
    {
        var rig = new Rig();
        var q = rig.Start()[0];
        q.Add([new DriverBuffer(rig.Ram.Put([1]), 1), new DriverBuffer(rig.Ram.Alloc(1), 1, true)]);
        Kick(rig, q);
        Assert.That(q.ReadUsedFlags(), Is.Zero);
    }

    [Test]
    public void Indices_wrap_around_after_65536_requests()
    {
        var rig = new Rig(queueNumMax: 4);
        var q = rig.Start(size: 4)[0];
        var input = rig.Ram.Alloc(4);
        var output = rig.Ram.Alloc(4);
        const int total = 70_000;
        var done = 0;
        for (var i = 0; i < total; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(rig.Ram.At(input, 4), i);
            Assert.That(q.Add([new DriverBuffer(input, 4), new DriverBuffer(output, 4, true)]), Is.GreaterThanOrEqualTo(0));
            Kick(rig, q);
            Assert.That(q.TryGetUsed(out _, out var written), Is.True);
            Assert.That(written, Is.EqualTo(4u));
            if (System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(rig.Ram.At(output, 4)) == i)
                done++;
        }
        Assert.That(done, Is.EqualTo(total));
        Assert.That(q.ReadUsedIndex(), Is.EqualTo((ushort)(total & 0xffff)));
        Assert.That(rig.Device.IsRunning, Is.True);
    }

    [Test]
    public void A_descriptor_loop_needs_a_reset_and_tells_the_driver()
    {
        var rig = new Rig();
        var q = rig.Start(size: 8)[0];
        var b = rig.Ram.Alloc(16);
        q.WriteDescriptor(0, new VirtqueueDescriptor(b, 1, DescriptorFlags.Next, 1));
        q.WriteDescriptor(1, new VirtqueueDescriptor(b, 1, DescriptorFlags.Next, 0));
        q.WriteAvailRing(0, 0);
        q.WriteAvailIndex(1);
        rig.Write(MmioRegister.QueueNotify, 0);
        AssertNeedsReset(rig, VirtqueueError.ChainTooLong);
    }

    [Test]
    public void An_index_jump_needs_a_reset()
    {
        var rig = new Rig();
        var q = rig.Start(size: 8)[0];
        q.WriteAvailIndex(9);
        rig.Write(MmioRegister.QueueNotify, 0);
        AssertNeedsReset(rig, VirtqueueError.IndexJump);
    }

    [Test]
    public void A_head_beyond_the_table_needs_a_reset()
    {
        var rig = new Rig();
        var q = rig.Start(size: 8)[0];
        q.WriteAvailRing(0, 8);
        q.WriteAvailIndex(1);
        rig.Write(MmioRegister.QueueNotify, 0);
        AssertNeedsReset(rig, VirtqueueError.BadNext);
    }

    [Test]
    public void A_readable_buffer_after_a_writable_one_needs_a_reset()
    {
        var rig = new Rig();
        var q = rig.Start()[0];
        q.Add([new DriverBuffer(rig.Ram.Alloc(4), 4, true), new DriverBuffer(rig.Ram.Alloc(4), 4)]);
        Kick(rig, q);
        AssertNeedsReset(rig, VirtqueueError.BadFlags);
    }

    [Test]
    public void A_writable_buffer_in_read_only_memory_needs_a_reset()
    {
        var rig = new Rig();
        var ro = new L4Re.Kernel.Memory.Dataspace(L4Re.Kernel.Memory.Dataspace.PageSize, "ro");
        rig.Ram.Memory.Add(0x9000_0000, ro.Size, ro, writable: false);
        var q = rig.Start()[0];
        q.Add([new DriverBuffer(0x9000_0000, 4, true)]);
        Kick(rig, q);
        AssertNeedsReset(rig, VirtqueueError.BadRights);
        Assert.That(ro.Span.ToArray(), Is.All.Zero);
    }

    [Test]
    public void A_buffer_outside_driver_memory_needs_a_reset()
    {
        var rig = new Rig();
        var q = rig.Start()[0];
        q.Add([new DriverBuffer(GuestRam.Base + (ulong)rig.Ram.Dataspace.Size - 2, 4)]);
        Kick(rig, q);
        AssertNeedsReset(rig, VirtqueueError.BadAddress);
    }

    [Test]
    public void Removing_the_memory_under_a_live_queue_fails_cleanly()
    {
        var rig = new Rig();
        var q = rig.Start()[0];
        q.Add([new DriverBuffer(rig.Ram.Put([1]), 1), new DriverBuffer(rig.Ram.Alloc(1), 1, true)]);
        q.Publish();
        rig.Ram.Memory.Remove(rig.Ram.Region);
        rig.Write(MmioRegister.QueueNotify, 0);
        Assert.That(rig.Device.Status & DeviceStatus.DeviceNeedsReset, Is.EqualTo(DeviceStatus.DeviceNeedsReset));
    }

    [Test]
    public void After_a_device_error_a_reset_and_reinitialization_work_again()
    {
        var rig = new Rig();
        var q = rig.Start()[0];
        q.WriteAvailIndex(1000);
        rig.Write(MmioRegister.QueueNotify, 0);
        Assert.That(rig.Device.IsRunning, Is.False);
        q = rig.Start()[0];
        q.Add([new DriverBuffer(rig.Ram.Put([5]), 1), new DriverBuffer(rig.Ram.Alloc(1), 1, true)]);
        Kick(rig, q);
        Assert.That(q.TryGetUsed(out _, out var written), Is.True);
        Assert.That(written, Is.EqualTo(1u));
    }

    private static void AssertNeedsReset(Rig rig, VirtqueueError error)
    {
        Assert.That(rig.Device.Status & DeviceStatus.DeviceNeedsReset, Is.EqualTo(DeviceStatus.DeviceNeedsReset));
        Assert.That(rig.Device.LastDeviceError, Does.Contain(error.ToString()));
        Assert.That(rig.Read(MmioRegister.InterruptStatus) & (uint)InterruptStatus.ConfigChange, Is.Not.Zero);
        Assert.That(rig.Line.Level, Is.True);
    }
}
