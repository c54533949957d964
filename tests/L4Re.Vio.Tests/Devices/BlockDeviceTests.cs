using System.Buffers.Binary;
using System.Text;
using L4Re.Vio.Devices.Block;
using L4Re.Vio.Driver;
using L4Re.Vio.Tests.Support;
using L4Re.Vio.Virtio;

namespace L4Re.Vio.Tests.Devices;

public class BlockDeviceTests
{
    private sealed class Disk
    {
        public Disk(IBlockBackend backend, VirtioBlockOptions? options = null, ulong features = VirtioFeatures.EventIdx | VirtioFeatures.IndirectDesc | BlockFeatures.Flush)
        {
            Ram = new GuestRam(128);
            Device = new VirtioBlockDevice(backend, Ram.Memory, options);
            Transport = new VirtioMmioTransport(Device);
            Driver = new VirtioMmioDriver(Transport, Ram.Memory, Ram.Allocator);
            Driver.Initialize(features);
            Queue = Driver.SetupQueue(0);
            Driver.DriverOk();
        }

        public GuestRam Ram { get; }

        public VirtioBlockDevice Device { get; }

        public VirtioMmioTransport Transport { get; }

        public VirtioMmioDriver Driver { get; }

        public VirtqueueDriver Queue { get; }

        public ulong Header(BlockRequestType type, ulong sector)
        {
            var h = new byte[16];
            BinaryPrimitives.WriteUInt32LittleEndian(h, (uint)type);
            BinaryPrimitives.WriteUInt64LittleEndian(h.AsSpan(8), sector);
            return Ram.Put(h);
        }

        /// <summary>Runs one request; returns status and the used length.</summary>
        public (BlockStatus Status, uint Written) Run(params DriverBuffer[] buffers)
        {
            var statusBuffer = buffers[^1];
            Ram.At(statusBuffer.Address, 1)[0] = 0xee;
            Assert.That(Queue.Add(buffers), Is.GreaterThanOrEqualTo(0));
            Driver.Kick(Queue, 0);
            Assert.That(Queue.TryGetUsed(out _, out var written), Is.True, "request completed");
            return ((BlockStatus)Ram.At(statusBuffer.Address + statusBuffer.Length - 1, 1)[0], written);
        }

        public (BlockStatus, uint) Read(ulong sector, ulong data, uint length) =>
            Run(new DriverBuffer(Header(BlockRequestType.In, sector), 16), new DriverBuffer(data, length, true), new DriverBuffer(Ram.Alloc(1), 1, true));

        public (BlockStatus, uint) Write(ulong sector, ulong data, uint length) =>
            Run(new DriverBuffer(Header(BlockRequestType.Out, sector), 16), new DriverBuffer(data, length), new DriverBuffer(Ram.Alloc(1), 1, true));
    }

    [Test]
    public void Config_reports_capacity_block_size_and_seg_max()
    {
        var disk = new Disk(new MemoryBlockBackend(64 * 512));
        Span<byte> cfg = stackalloc byte[24];
        disk.Driver.ReadConfig(0, cfg);
        Assert.That(BinaryPrimitives.ReadUInt64LittleEndian(cfg), Is.EqualTo(64UL));
        Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(cfg[12..]), Is.EqualTo(126u));
        Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(cfg[20..]), Is.EqualTo(512u));
        Assert.That(disk.Device.DeviceId, Is.EqualTo(VirtioDeviceId.Block));
        Assert.That(disk.Device.DeviceFeatures & BlockFeatures.ReadOnly, Is.Zero);
    }

    [Test]
    public void Written_sectors_read_back()
    {
        var backend = new MemoryBlockBackend(64 * 512);
        var disk = new Disk(backend);
        var data = Enumerable.Range(0, 1024).Select(i => (byte)(i * 7)).ToArray();
        var src = disk.Ram.Put(data);
        var (status, written) = disk.Write(3, src, 1024);
        Assert.That(status, Is.EqualTo(BlockStatus.Ok));
        Assert.That(written, Is.EqualTo(1u), "only the status byte was written");
        Assert.That(backend.Data.Slice(3 * 512, 1024).ToArray(), Is.EqualTo(data));
        var dst = disk.Ram.Alloc(1024);
        (status, written) = disk.Read(3, dst, 1024);
        Assert.That(status, Is.EqualTo(BlockStatus.Ok));
        Assert.That(written, Is.EqualTo(1025u));
        Assert.That(disk.Ram.At(dst, 1024).ToArray(), Is.EqualTo(data));
    }

    [Test]
    public void Data_may_be_split_across_descriptors_and_indirect_tables()
    {
        var backend = new MemoryBlockBackend(16 * 512);
        for (var i = 0; i < backend.Data.Length; i++)
            backend.Data[i] = (byte)(i % 251);
        var disk = new Disk(backend);
        var a = disk.Ram.Alloc(100);
        var b = disk.Ram.Alloc(924);
        var status = disk.Ram.Alloc(1);
        var table = disk.Ram.Alloc(64);
        disk.Queue.AddIndirect(table, [
            new DriverBuffer(disk.Header(BlockRequestType.In, 2), 16),
            new DriverBuffer(a, 100, true), new DriverBuffer(b, 924, true), new DriverBuffer(status, 1, true)]);
        disk.Driver.Kick(disk.Queue, 0);
        Assert.That(disk.Queue.TryGetUsed(out _, out var written), Is.True);
        Assert.That(written, Is.EqualTo(1025u));
        Assert.That(disk.Ram.At(status, 1)[0], Is.EqualTo((byte)BlockStatus.Ok));
        var got = disk.Ram.At(a, 100).ToArray().Concat(disk.Ram.At(b, 924).ToArray()).ToArray();
        Assert.That(got, Is.EqualTo(backend.Data.Slice(1024, 1024).ToArray()));
    }

    [Test]
    public void Out_of_range_and_partial_sector_requests_fail_with_ioerr()
    {
        var disk = new Disk(new MemoryBlockBackend(8 * 512));
        var dst = disk.Ram.Alloc(1024);
        Assert.That(disk.Read(7, dst, 1024).Item1, Is.EqualTo(BlockStatus.IoError), "crosses the end");
        Assert.That(disk.Read(ulong.MaxValue, dst, 512).Item1, Is.EqualTo(BlockStatus.IoError), "sector overflow");
        Assert.That(disk.Read(0, dst, 100).Item1, Is.EqualTo(BlockStatus.IoError), "not whole sectors");
        Assert.That(disk.Read(8, dst, 0).Item1, Is.EqualTo(BlockStatus.Ok), "an empty read at the end is in range");
        Assert.That(disk.Device.IsRunning, Is.True);
    }

    [Test]
    public void A_read_only_disk_refuses_writes_and_keeps_its_data()
    {
        var backend = new MemoryBlockBackend(8 * 512);
        var disk = new Disk(backend, new VirtioBlockOptions { ReadOnly = true }, BlockFeatures.ReadOnly);
        Assert.That(disk.Driver.Features & BlockFeatures.ReadOnly, Is.EqualTo(BlockFeatures.ReadOnly));
        var src = disk.Ram.Put(Enumerable.Repeat((byte)0xff, 512).ToArray());
        Assert.That(disk.Write(0, src, 512).Item1, Is.EqualTo(BlockStatus.IoError));
        Assert.That(backend.Data.ToArray(), Is.All.Zero);
    }

    [Test]
    public void Flush_reaches_the_backend()
    {
        var backend = new MemoryBlockBackend(8 * 512);
        var disk = new Disk(backend);
        var (status, written) = disk.Run(new DriverBuffer(disk.Header(BlockRequestType.Flush, 0), 16), new DriverBuffer(disk.Ram.Alloc(1), 1, true));
        Assert.That(status, Is.EqualTo(BlockStatus.Ok));
        Assert.That(written, Is.EqualTo(1u));
        Assert.That(backend.Flushes, Is.EqualTo(1));
    }

    [Test]
    public void Get_id_returns_the_padded_id()
    {
        var disk = new Disk(new MemoryBlockBackend(512), new VirtioBlockOptions { Id = "disk0" });
        var id = disk.Ram.Alloc(20);
        disk.Ram.At(id, 20).Fill(0xcc);
        var (status, written) = disk.Run(new DriverBuffer(disk.Header(BlockRequestType.GetId, 0), 16), new DriverBuffer(id, 20, true), new DriverBuffer(disk.Ram.Alloc(1), 1, true));
        Assert.That(status, Is.EqualTo(BlockStatus.Ok));
        Assert.That(written, Is.EqualTo(21u));
        Assert.That(disk.Ram.At(id, 20).ToArray(), Is.EqualTo(Encoding.ASCII.GetBytes("disk0").Concat(new byte[15])));
    }

    [Test]
    public void Unknown_requests_are_unsupported()
    {
        var disk = new Disk(new MemoryBlockBackend(512));
        Assert.That(disk.Run(new DriverBuffer(disk.Header(BlockRequestType.Discard, 0), 16), new DriverBuffer(disk.Ram.Alloc(1), 1, true)).Item1, Is.EqualTo(BlockStatus.Unsupported));
        Assert.That(disk.Run(new DriverBuffer(disk.Header((BlockRequestType)0x1234, 0), 16), new DriverBuffer(disk.Ram.Alloc(1), 1, true)).Item1, Is.EqualTo(BlockStatus.Unsupported));
    }

    [Test]
    public void A_request_without_a_status_byte_needs_a_reset()
    {
        var disk = new Disk(new MemoryBlockBackend(512));
        disk.Queue.Add([new DriverBuffer(disk.Header(BlockRequestType.In, 0), 16)]);
        disk.Driver.Kick(disk.Queue, 0);
        Assert.That(disk.Device.Status & DeviceStatus.DeviceNeedsReset, Is.EqualTo(DeviceStatus.DeviceNeedsReset));
        Assert.That(disk.Transport.PendingInterrupts & InterruptStatus.ConfigChange, Is.EqualTo(InterruptStatus.ConfigChange));
    }

    [Test]
    public void A_request_with_a_short_header_needs_a_reset()
    {
        var disk = new Disk(new MemoryBlockBackend(512));
        disk.Queue.Add([new DriverBuffer(disk.Ram.Alloc(8), 8), new DriverBuffer(disk.Ram.Alloc(1), 1, true)]);
        disk.Driver.Kick(disk.Queue, 0);
        Assert.That(disk.Device.Status & DeviceStatus.DeviceNeedsReset, Is.EqualTo(DeviceStatus.DeviceNeedsReset));
    }

    [Test]
    public void A_file_backed_disk_reads_and_writes_the_image()
    {
        var path = Path.Combine(Path.GetTempPath(), $"l4re-vio-{Guid.NewGuid():N}.img");
        try
        {
            File.WriteAllBytes(path, new byte[32 * 512]);
            using (var backend = new FileBlockBackend(path))
            {
                var disk = new Disk(backend);
                Assert.That(disk.Device.Capacity, Is.EqualTo(32));
                var src = disk.Ram.Put(Enumerable.Repeat((byte)0x5a, 512).ToArray());
                Assert.That(disk.Write(31, src, 512).Item1, Is.EqualTo(BlockStatus.Ok));
                Assert.That(disk.Run(new DriverBuffer(disk.Header(BlockRequestType.Flush, 0), 16), new DriverBuffer(disk.Ram.Alloc(1), 1, true)).Item1, Is.EqualTo(BlockStatus.Ok));
            }
            Assert.That(File.ReadAllBytes(path).AsSpan(31 * 512).ToArray(), Is.All.EqualTo((byte)0x5a));
            using (var ro = new FileBlockBackend(path, readOnly: true))
            {
                var disk = new Disk(ro, features: BlockFeatures.ReadOnly);
                Assert.That(disk.Device.ReadOnly, Is.True);
                var dst = disk.Ram.Alloc(512);
                Assert.That(disk.Read(31, dst, 512).Item1, Is.EqualTo(BlockStatus.Ok));
                Assert.That(disk.Ram.At(dst, 512).ToArray(), Is.All.EqualTo((byte)0x5a));
                Assert.That(disk.Write(0, dst, 512).Item1, Is.EqualTo(BlockStatus.IoError));
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void An_id_longer_than_20_bytes_is_rejected()
    {
        var ram = new GuestRam(4);
        Assert.Throws<ArgumentException>(() => _ = new VirtioBlockDevice(new MemoryBlockBackend(512), ram.Memory, new VirtioBlockOptions { Id = new string('x', 21) }));
    }
}
