using System.IO.Pipelines;
using System.Text;
using L4Re.Vio.Devices.Console;
using L4Re.Vio.Driver;
using L4Re.Vio.Tests.Support;
using L4Re.Vio.Virtio;

namespace L4Re.Vio.Tests.Devices;

public class ConsoleDeviceTests
{
    private sealed class Con
    {
        public Con(VirtioConsoleOptions? options = null, ulong features = ConsoleFeatures.EmergencyWrite | ConsoleFeatures.Size | VirtioFeatures.EventIdx)
        {
            Ram = new GuestRam(64);
            Device = new VirtioConsoleDevice(Ram.Memory, options);
            Line = new RecordingLine();
            Transport = new VirtioMmioTransport(Device, Line);
            Driver = new VirtioMmioDriver(Transport, Ram.Memory, Ram.Allocator);
            Driver.Initialize(features);
            Rx = Driver.SetupQueue(0);
            Tx = Driver.SetupQueue(1);
            Driver.DriverOk();
        }

        public GuestRam Ram { get; }

        public VirtioConsoleDevice Device { get; }

        public RecordingLine Line { get; }

        public VirtioMmioTransport Transport { get; }

        public VirtioMmioDriver Driver { get; }

        public VirtqueueDriver Rx { get; }

        public VirtqueueDriver Tx { get; }

        public void GuestWrite(string text)
        {
            var bytes = Encoding.ASCII.GetBytes(text);
            Tx.Add([new DriverBuffer(Ram.Put(bytes), (uint)bytes.Length)]);
            Driver.Kick(Tx, 1);
        }

        public ulong PostRx(int size)
        {
            var b = Ram.Alloc(size);
            Rx.Add([new DriverBuffer(b, (uint)size, true)]);
            Driver.Kick(Rx, 0);
            return b;
        }
    }

    private static string ReadAvailable(PipeReader reader)
    {
        if (!reader.TryRead(out var result))
            return "";
        var text = Encoding.ASCII.GetString(result.Buffer);
        reader.AdvanceTo(result.Buffer.End);
        return text;
    }

    [Test]
    public void Guest_output_appears_on_the_output_pipe()
    {
        var con = new Con();
        con.GuestWrite("Linux version ");
        con.GuestWrite("6.1\n");
        Assert.That(ReadAvailable(con.Device.Output), Is.EqualTo("Linux version 6.1\n"));
        Assert.That(con.Tx.TryGetUsed(out _, out var written), Is.True);
        Assert.That(written, Is.Zero);
        Assert.That(con.Device.BytesFromGuest, Is.EqualTo(18));
    }

    [Test]
    public async Task Host_input_is_delivered_into_receive_buffers()
    {
        var con = new Con();
        var buffer = con.PostRx(64);
        await con.Device.Input.WriteAsync(Encoding.ASCII.GetBytes("root\n"));
        Assert.That(con.Device.PumpInput(), Is.EqualTo(5));
        Assert.That(con.Rx.TryGetUsed(out _, out var written), Is.True);
        Assert.That(written, Is.EqualTo(5u));
        Assert.That(Encoding.ASCII.GetString(con.Ram.At(buffer, 5)), Is.EqualTo("root\n"));
        Assert.That(con.Line.Level, Is.True);
    }

    [Test]
    public async Task Input_waits_for_buffers_and_is_delivered_when_the_guest_adds_them()
    {
        var con = new Con();
        await con.Device.Input.WriteAsync(Encoding.ASCII.GetBytes("0123456789"));
        Assert.That(con.Device.PumpInput(), Is.Zero, "no receive buffer yet");
        var a = con.PostRx(4); // the receive-queue notification pumps
        var b = con.PostRx(16);
        Assert.That(Encoding.ASCII.GetString(con.Ram.At(a, 4)), Is.EqualTo("0123"));
        Assert.That(Encoding.ASCII.GetString(con.Ram.At(b, 6)), Is.EqualTo("456789"));
    }

    [Test]
    public async Task The_background_pump_delivers_input()
    {
        var con = new Con();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var pump = con.Device.RunAsync(cts.Token);
        await con.Device.Input.WriteAsync(Encoding.ASCII.GetBytes("hello"));
        var buffer = con.PostRx(8);
        while (con.Device.BytesToGuest < 5 && !cts.IsCancellationRequested)
            await Task.Delay(5);
        Assert.That(Encoding.ASCII.GetString(con.Ram.At(buffer, 5)), Is.EqualTo("hello"));
        await con.Device.Input.CompleteAsync();
        await pump.WaitAsync(cts.Token);
    }

    [Test]
    public void Emergency_write_outputs_a_character()
    {
        var con = new Con();
        con.Transport.Write(0x108, 4, 'X');
        Assert.That(ReadAvailable(con.Device.Output), Is.EqualTo("X"));
    }

    [Test]
    public void Emergency_write_without_the_feature_is_ignored()
    {
        var con = new Con(features: 0);
        con.Transport.Write(0x108, 4, 'X');
        Assert.That(ReadAvailable(con.Device.Output), Is.Empty);
    }

    [Test]
    public void Resize_updates_the_config_and_notifies()
    {
        var con = new Con(new VirtioConsoleOptions { Size = (80, 25) });
        Span<byte> cfg = stackalloc byte[8];
        con.Driver.ReadConfig(0, cfg);
        Assert.That(cfg[..4].ToArray(), Is.EqualTo(new byte[] { 80, 0, 25, 0 }));
        Assert.That(cfg[4], Is.EqualTo(1), "max_nr_ports");
        con.Device.Resize(132, 43);
        con.Driver.ReadConfig(0, cfg);
        Assert.That(cfg[..4].ToArray(), Is.EqualTo(new byte[] { 132, 0, 43, 0 }));
        Assert.That(con.Transport.PendingInterrupts & InterruptStatus.ConfigChange, Is.EqualTo(InterruptStatus.ConfigChange));
    }

    [Test]
    public async Task Output_back_pressure_pauses_the_transmit_queue_until_the_host_reads()
    {
        var con = new Con(new VirtioConsoleOptions
        {
            PipeOptions = new PipeOptions(pauseWriterThreshold: 16, resumeWriterThreshold: 8, readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline, useSynchronizationContext: false),
        });
        con.GuestWrite(new string('a', 20)); // over the threshold: flush does not complete
        con.GuestWrite("bbbb");
        Assert.That(con.Device.BytesFromGuest, Is.EqualTo(20), "the second buffer waits");
        var text = new StringBuilder();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (text.Length < 24)
        {
            var result = await con.Device.Output.ReadAsync(cts.Token);
            text.Append(Encoding.ASCII.GetString(result.Buffer));
            con.Device.Output.AdvanceTo(result.Buffer.End);
        }
        Assert.That(text.ToString(), Is.EqualTo(new string('a', 20) + "bbbb"));
    }
}
