using L4Re.Platform.BaikalT.Board;
using L4Re.Platform.BaikalT.Devices;
using L4Re.Platform.BaikalT.Guest;
using L4Re.Platform.BaikalT.Vm;
using L4Re.Uvmm.Mips;

namespace L4Re.Platform.BaikalT.Tests.Vm;

public class OpenWrtVmmTests
{
    [Test]
    public void The_guest_prints_through_the_passed_through_uart_and_powers_off()
    {
        using var router = TestRouters.Builder().WithGuestScript([new GuestStep.Print("hello, world")]).Build();
        var r = router.RunGuest();
        Assert.That((r.Stop, r.Code), Is.EqualTo((VmStop.PowerOff, 0u)), r.Reason);
        Assert.That(router.Vmm!.ConsoleLines, Is.EqualTo(new[] { "hello, world", "guest: script done" }));
    }

    [Test]
    public void Sleeping_costs_virtual_time_not_instructions()
    {
        using var router = TestRouters.Builder().WithGuestScript([new GuestStep.Sleep(10)]).Build();
        var r = router.RunGuest();
        Assert.That(r.Stop, Is.EqualTo(VmStop.PowerOff), r.Reason);
        Assert.That(r.VirtualNs, Is.InRange(10_000_000_000L, 10_100_000_000L));
        Assert.That(r.Instructions, Is.LessThan(50_000));
    }

    [Test]
    public void Device_pages_exit_to_the_vmm_and_ram_pages_do_not()
    {
        using var router = TestRouters.Builder().WithGuestScript([]).Build();
        var vmm = router.Vmm!;
        Assert.Multiple(() =>
        {
            Assert.That(vmm.Stage.TryResolve(0x1000, out var page), Is.True);
            Assert.That(page.Writable, Is.True);
            Assert.That(vmm.Stage.TryResolve(0x1f04_b000, out _), Is.False, "UART1 is I/O memory: every access traps");
            Assert.That(vmm.Stage.DeviceAt(0x1f04_b000, write: true)?.Device, Is.SameAs(router.Board.Uart1));
            Assert.That(vmm.Stage.TryResolve(BoardIoConfig.WifiBar0, out _), Is.False);
            Assert.That(vmm.Stage.DeviceAt(BoardIoConfig.WifiBar0, write: false), Is.Null, "the NIC is not mapped");
            Assert.That(vmm.Passthrough.Matches.Select(m => m.Node.Path), Is.EqualTo(OpenWrtDeviceTree.PassthroughNodes));
            Assert.That(vmm.Passthrough.Errors, Is.Empty);
        });
    }

    [Test]
    public void Revoking_the_vbus_takes_the_uart_away_from_the_vm()
    {
        using var router = TestRouters.Builder().WithGuestScript([new GuestStep.Print("still here?")]).Build();
        var vmm = router.Vmm!;
        var generation = vmm.Stage.Generation;
        Assert.That(router.Io.Disconnect(BoardIoConfig.OpenWrtVbus), Is.True);
        Assert.That(vmm.Stage.Generation, Is.Not.EqualTo(generation));
        Assert.That(vmm.Stage.DeviceAt(0x1f04_b000, write: true), Is.Null);
        var r = router.RunGuest();
        Assert.That(r.Stop, Is.EqualTo(VmStop.PowerOff), "the guest runs on, its UART accesses find nothing");
        Assert.That(vmm.ConsoleLines, Is.Empty);
        Assert.That(vmm.Platform.Vm.Mmio.Regions.Select(x => x.Device).OfType<PassthroughMmio>().Sum(p => p.Unmapped), Is.GreaterThan(0));
    }

    [Test]
    public void A_spinning_guest_stops_at_the_instruction_limit()
    {
        var spin = Assembler.Assemble("loop: b loop\n nop", RadioGuestProgram.Entry);
        using var router = TestRouters.Builder().WithGuest(new BareMetalGuestImage(spin)).Build();
        var r = router.RunGuest(maxInstructions: 2_000_000);
        Assert.That(r.Stop, Is.EqualTo(VmStop.InstructionLimit));
        Assert.That(r.Instructions, Is.EqualTo(2_000_000));
        Assert.That(r.VirtualNs, Is.EqualTo(2_000_000 * 1_000_000_000L / L4Re.Platform.BaikalT.Soc.P5600Core.ClockHz).Within(1000));
    }

    [Test]
    public void A_guest_that_executes_garbage_is_stopped_by_the_vmm_not_the_host()
    {
        var rng = new Random(42);
        var words = new byte[4096];
        rng.NextBytes(words);
        var program = Assembler.Assemble(".word " + string.Join(", ", Enumerable.Range(0, 1024).Select(i => BitConverter.ToUInt32(words, i * 4))), RadioGuestProgram.Entry);
        using var router = TestRouters.Builder().WithGuest(new BareMetalGuestImage(program)).Build();
        var r = router.RunGuest(maxInstructions: 5_000_000, maxVirtualNs: 5_000_000);
        Assert.That(r.Stop, Is.AnyOf(VmStop.Halt, VmStop.PowerOff, VmStop.InstructionLimit, VmStop.Idle, VmStop.TimeLimit), r.Reason);
        Assert.That(router.Wifi.Ready && !router.WifiThread.IsDead, Is.True, "the trusted side is untouched");
    }
}
