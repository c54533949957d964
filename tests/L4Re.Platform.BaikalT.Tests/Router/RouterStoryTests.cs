using L4Re.Platform.BaikalT.Router;
using L4Re.Platform.BaikalT.Vm;

namespace L4Re.Platform.BaikalT.Tests.Router;

public class RouterStoryTests
{
    [Test]
    public void Smoke()
    {
        using var router = new RouterBuilder()
            .WithRadar(5260, TimeSpan.FromSeconds(2))
            .WithStation(System.Text.Encoding.ASCII.GetBytes("\xff\xff\xff\xff\xff\xff\x02\x00\x00\x00\x00\x07\x88\xb5station hello\0"), TimeSpan.FromMilliseconds(500))
            .Build();
        var result = router.RunGuest(2_000_000_000);
        TestContext.Out.WriteLine(result);
        foreach (var l in router.Vmm!.ConsoleLines)
            TestContext.Out.WriteLine("console: " + l);
        foreach (var e in router.Wifi.Events)
            TestContext.Out.WriteLine(e);
        foreach (var e in router.Environment.Log)
            TestContext.Out.WriteLine(e);
        TestContext.Out.WriteLine($"wifi: state={router.WifiThread.State} stop={router.WifiThread.StopReason} toAir={router.Wifi.FramesToAir} fromAir={router.Wifi.FramesFromAir} dropped={router.Wifi.FramesDropped} radar={router.Wifi.RadarEvents} emissions={router.Board.Nic.EmissionCount} nicline={router.Board.Nic.InterruptAsserted} intstatus=0x{router.Board.Nic.Reg(0xc):x}");
        var irq = router.Kernel.Icu.BoundTo(80);
        TestContext.Out.WriteLine($"irq masked={irq?.IsMasked} pending={irq?.IsPending} q={(irq as L4Re.Kernel.Objects.Irq)?.IsQueued}");
        foreach (var p in router.Switch.Ports) TestContext.Out.WriteLine($"port {p}: {p.Statistics}");
        Assert.That(result.Stop, Is.EqualTo(VmStop.Halt));
    }
}
