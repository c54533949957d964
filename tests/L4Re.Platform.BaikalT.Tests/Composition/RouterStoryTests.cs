using L4Re.Io.Dma;
using L4Re.Platform.BaikalT.Composition;
using L4Re.Platform.BaikalT.Guest;
using L4Re.Platform.BaikalT.Vm;
using L4Re.Platform.BaikalT.Wifi;

namespace L4Re.Platform.BaikalT.Tests.Composition;

/// <summary>The default guest script end to end: the OpenWrt stand-in on the vCPU, its requests through the VMM to the trusted component.</summary>
public class RouterStoryTests
{
    private static readonly byte[] Station =
        [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0, 7, 0x88, 0xb5, (byte)'h', (byte)'i', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    [Test]
    public void The_default_story_runs_through()
    {
        using var pcap = new MemoryStream();
        using var router = TestRouters.Builder()
            .WithRadar(5260, TimeSpan.FromSeconds(2))
            .WithStation(Station, TimeSpan.FromMilliseconds(500))
            .WithPcap(pcap)
            .Build();
        var result = router.RunGuest();
        var replies = router.Vmm!.RadioLog.Select(l => l.Reply).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(result.Stop, Is.EqualTo(VmStop.Halt));
            Assert.That(result.Reason, Does.Contain("Bad page fault (write) 0x08000024"));
            Assert.That(result.VirtualNs, Is.InRange(67_000_000_000L, 68_000_000_000L), "1 + 61 + 5 s of sleeps");
            Assert.That(replies, Has.Count.EqualTo(11), "eleven radio steps in the default script");
            Assert.That(replies[1], Does.StartWith("accept 5180/80"));
            Assert.That(replies[2], Does.StartWith("clamp 5180/80 MHz TX 20.00 dBm"));
            Assert.That(replies[3], Does.StartWith("refuse 5260/80 MHz: DFS: channel availability check"));
            Assert.That(replies[4], Does.StartWith("cac started on 5260/80 MHz, ends at 61."));
            Assert.That(replies[5], Does.StartWith("accept 5260/80"));
            Assert.That(replies[6], Does.StartWith("refuse country DE"));
            Assert.That(replies[9], Does.Contain("radar at 5260 MHz, blocked until"));
            Assert.That(replies[10], Does.Contain("non-occupancy"));
            Assert.That(router.Vmm.ConsoleLines, Has.Some.EqualTo("< frame of 60 bytes: hi"));
            Assert.That(router.Board.Nic.EmissionCount, Is.EqualTo(1));
            Assert.That(router.Board.Nic.Emissions[0].Length, Is.EqualTo(60));
            Assert.That(router.Board.Nic.State.ControlKhz, Is.EqualTo(5_180_000u), "vacated");
            Assert.That(router.Board.Nic.Reg(WifiNicRegisters.TxPower), Is.EqualTo(2000u), "the guest's direct store did not reach the NIC");
            Assert.That(router.Monitor!.Writer.Frames, Is.EqualTo(2));
        });
        var gate = router.Wifi.Gate!;
        foreach (var e in router.Board.Nic.Emissions)
            Assert.That(RadioCompliance.Violations(e.State, gate.Country, gate.Capabilities), Is.Empty);
    }

    [Test]
    public void The_same_run_is_the_same_run()
    {
        static (string, long, long) Run()
        {
            using var router = TestRouters.Builder().WithGuestScript([new GuestStep.Radio("set 5180 20 10 ap"), new GuestStep.Sleep(2), new GuestStep.Radio("status")]).Build();
            var r = router.RunGuest();
            return (string.Join("\n", router.Vmm!.ConsoleLines), r.Instructions, r.VirtualNs);
        }
        var first = Run();
        var second = Run();
        Assert.That(second, Is.EqualTo(first));
    }

    [TestCase(true)]
    [TestCase(false)]
    public void A_rogue_nic_dma_into_openwrts_ram_is_blocked_only_with_an_iommu(bool iommu)
    {
        using var router = TestRouters.Builder().WithIommu(iommu).WithGuestScript([]).Build();
        var ram = router.Vmm!.Platform.Vm.Ram;
        var target = 0x30000UL;
        var status = router.Board.Nic.FirmwareDmaWrite(Router.VmRamPhysical + target, "pwned"u8);
        var got = new byte[5];
        ram.Read(target, got);
        if (iommu)
        {
            Assert.That(status, Is.EqualTo(DmaStatus.NotMapped));
            Assert.That(got, Is.All.Zero);
            Assert.That(router.Board.Nic.Dma!.LastFault!.Address, Is.EqualTo(Router.VmRamPhysical + target));
        }
        else
        {
            Assert.That(status, Is.EqualTo(DmaStatus.Ok));
            Assert.That(got, Is.EqualTo("pwned"u8.ToArray()), "without an IOMMU the NIC writes wherever it likes");
        }
        // Either way the NIC reaches its driver's buffers (the DMA area) at the address the driver programmed.
        Assert.That(router.Board.Nic.FirmwareDmaWrite(router.Wifi.DmaBase + 0x1_f000, "ok"u8), Is.EqualTo(DmaStatus.Ok));
    }
}
