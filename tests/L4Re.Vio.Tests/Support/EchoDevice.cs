using L4Re.Vio.Memory;
using L4Re.Vio.Virtio;

namespace L4Re.Vio.Tests.Support;

/// <summary>A minimal device for transport and virtqueue tests: copies each chain's readable bytes into its writable buffers.</summary>
internal sealed class EchoDevice : VirtioDevice
{
    private readonly byte[] _scratch = new byte[1 << 16];

    public EchoDevice(DriverMemoryList memory, int queueCount = 1, int queueNumMax = 256, int configSize = 8, ulong extraFeatures = 0)
        : base((VirtioDeviceId)42, memory, queueCount, queueNumMax, configSize, null)
    {
        DeviceFeatures |= extraFeatures;
    }

    public int Processed { get; private set; }

    public int NotifyCount { get; private set; }

    public int ResetCount { get; private set; }

    public void SetConfigByte(int offset, byte value)
    {
        Config[offset] = value;
        NotifyConfigChanged();
    }

    public byte[] ConfigWrites { get; } = new byte[8];

    protected override void OnConfigWrite(int offset, ReadOnlySpan<byte> data) => data.CopyTo(ConfigWrites.AsSpan(offset));

    protected override void OnReset() => ResetCount++;

    protected override void OnQueueNotify(Virtqueue queue)
    {
        NotifyCount++;
        do
        {
            queue.DisableDriverNotifications();
            while (true)
            {
                var err = queue.TryPop(out var chain);
                if (err != VirtqueueError.None)
                {
                    DeviceError(queue, err);
                    return;
                }
                if (!chain.IsValid)
                    break;
                var have = 0;
                var written = 0;
                while (chain.TryNext(out var buf))
                {
                    if (!buf.IsWritable)
                    {
                        var n = Math.Min(buf.Length, _scratch.Length - have);
                        buf.Readable[..n].CopyTo(_scratch.AsSpan(have));
                        have += n;
                    }
                    else
                    {
                        var n = Math.Min(buf.Length, have - written);
                        _scratch.AsSpan(written, n).CopyTo(buf.Writable);
                        written += n;
                    }
                }
                if (chain.Error != VirtqueueError.None)
                {
                    DeviceError(queue, chain.Error);
                    return;
                }
                queue.Push(chain.Head, (uint)written);
                Processed++;
            }
            SignalUsed(queue);
        }
        while (queue.EnableDriverNotifications());
    }
}
