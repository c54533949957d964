using System.Buffers.Binary;
using L4Re.Vio.Devices.Net;
using L4Re.Vio.Switch;
using L4Re.Vio.Tests.Support;

namespace L4Re.Vio.Tests.Switch;

public class HostPortTests
{
    [Test]
    public async Task Frames_from_the_host_reach_a_guest_and_back()
    {
        var sw = new VirtualSwitch();
        var host = sw.CreateHostPort(PortOptions.Parse("name=host", "mac=02:00:00:00:00:fe"));
        var vm = new GuestNic(sw, ["name=vm"]);
        var hello = Frames.Ethernet(MacAddress.Broadcast, host.Mac, 64);
        await host.SendAsync(hello);
        Assert.That(vm.ReceiveAll(), Is.EqualTo(new[] { hello }));
        var reply = Frames.Ethernet(host.Mac, vm.Mac, 100);
        vm.Send(reply);
        var buffer = new byte[2000];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var n = await host.ReceiveAsync(buffer, cts.Token);
        Assert.That(buffer.AsSpan(0, n).ToArray(), Is.EqualTo(reply));
        Assert.That(host.Statistics.TxNum, Is.EqualTo(1));
        Assert.That(host.Statistics.RxNum, Is.EqualTo(1));
    }

    [Test]
    public async Task Frames_written_directly_to_the_pipe_are_taken_on_kick()
    {
        var sw = new VirtualSwitch();
        var host = sw.CreateHostPort(new PortOptions { Name = "host" });
        var vm = new GuestNic(sw, ["name=vm"]);
        var frames = Enumerable.Range(0, 5).Select(i => Frames.Ethernet(MacAddress.Broadcast, Frames.Mac(0x10 + i), 40 + i)).ToArray();
        foreach (var f in frames)
        {
            var prefix = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(prefix, (uint)f.Length);
            await host.Input.WriteAsync(prefix);
            await host.Input.WriteAsync(f);
        }
        Assert.That(vm.ReceiveAll(), Is.Empty, "nothing before the kick");
        host.Kick();
        Assert.That(vm.ReceiveAll(), Is.EqualTo(frames));
    }

    [Test]
    public async Task A_partial_frame_waits_for_its_rest()
    {
        var sw = new VirtualSwitch();
        var host = sw.CreateHostPort(new PortOptions { Name = "host" });
        var vm = new GuestNic(sw, ["name=vm"]);
        var f = Frames.Ethernet(MacAddress.Broadcast, Frames.Mac(9), 80);
        var prefix = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(prefix, (uint)f.Length);
        await host.Input.WriteAsync(prefix);
        await host.Input.WriteAsync(f.AsMemory(0, 30));
        host.Kick();
        Assert.That(vm.ReceiveAll(), Is.Empty);
        await host.Input.WriteAsync(f.AsMemory(30));
        host.Kick();
        Assert.That(vm.ReceiveAll(), Is.EqualTo(new[] { f }));
    }

    [Test]
    public async Task Bad_framing_fails_the_writer_clearly()
    {
        var sw = new VirtualSwitch();
        var host = sw.CreateHostPort(new PortOptions { Name = "host" });
        _ = new GuestNic(sw, ["name=vm"]);
        await host.Input.WriteAsync(new byte[] { 0x7f, 0xff, 0xff, 0xff });
        host.Kick();
        Assert.That(host.Statistics.RxDropped, Is.EqualTo(1));
        Assert.ThrowsAsync<InvalidDataException>(async () => await host.SendAsync(new byte[60]));
    }

    [Test]
    public void A_host_that_does_not_read_makes_the_switch_drop_not_wait()
    {
        var sw = new VirtualSwitch();
        var host = sw.CreateHostPort(new PortOptions { Name = "host" },
            new System.IO.Pipelines.PipeOptions(pauseWriterThreshold: 1024, resumeWriterThreshold: 512, useSynchronizationContext: false));
        var vm = new GuestNic(sw, ["name=vm"]);
        for (var i = 0; i < 100; i++)
            vm.Send(Frames.Ethernet(MacAddress.Broadcast, vm.Mac, 200));
        Assert.That(host.Statistics.TxDropped, Is.GreaterThan(0));
        Assert.That(host.Statistics.TxNum + host.Statistics.TxDropped, Is.EqualTo(100));
    }
}
