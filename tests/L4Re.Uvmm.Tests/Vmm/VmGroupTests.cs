using L4Re.Uvmm.Vmm;

namespace L4Re.Uvmm.Tests.Vmm;

public class VmGroupTests
{
    private static MipsVm Vm(string message, TinyGuest.Then then, uint delay = 0)
    {
        var path = TinyGuest.WriteTemp(message, then, delay);
        try
        {
            return new VmBuilder().WithPlatform(new MipsPlatformOptions { MemorySize = 16 << 20 }).WithKernel(path).Build();
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Tiny_guest_prints_and_powers_off_through_boot_runner()
    {
        var vm = Vm("tiny guest up", TinyGuest.Then.PowerOff);
        var report = BootRunner.Run(vm, new BootLimits { MaxInstructions = 1_000_000 });
        Assert.That(report.Outcome, Is.EqualTo(BootOutcome.PoweredOff), report.Detail);
        Assert.That(vm.Console.Text, Is.EqualTo("tiny guest up\n"));
    }

    [Test]
    public void Group_runs_every_vm_to_the_text_and_keeps_their_clocks_within_a_quantum()
    {
        // VM 1 needs ~2 M more instructions (≈ 6 ms at 320 MHz) before it prints.
        var vms = new[] { Vm("READY a", TinyGuest.Then.Spin), Vm("READY b", TinyGuest.Then.Spin, 1_000_000) };
        var group = new VmGroup(vms) { QuantumNanoseconds = 100_000 };
        var maxSkew = 0UL;
        while (!vms[1].Console.Text.Contains("READY", StringComparison.Ordinal) && group.NowNanoseconds < 1_000_000_000)
        {
            group.RunRound();
            var a = vms[0].Clock.NowNanoseconds;
            var b = vms[1].Clock.NowNanoseconds;
            maxSkew = Math.Max(maxSkew, a > b ? a - b : b - a);
        }
        Assert.That(maxSkew, Is.LessThanOrEqualTo(100_000UL));
        Assert.That(vms[0].Console.Text, Is.EqualTo("READY a\n"));
        Assert.That(group.NowNanoseconds, Is.InRange(5_000_000UL, 20_000_000UL));

        var report = new VmGroup(vms).Run(new BootLimits { Until = "READY", VirtualTime = TimeSpan.FromSeconds(1) });
        Assert.That(report.Outcome, Is.EqualTo(BootOutcome.TextSeen), report.Detail);
        Assert.That(report.Vms.Select(v => v.Outcome), Is.All.EqualTo(BootOutcome.TextSeen));
    }

    [Test]
    public void Group_reports_a_vm_that_powers_off_without_the_text()
    {
        var vms = new[] { Vm("READY", TinyGuest.Then.Spin), Vm("bye", TinyGuest.Then.PowerOff) };
        var report = new VmGroup(vms).Run(new BootLimits { Until = "READY", VirtualTime = TimeSpan.FromSeconds(1) });
        Assert.That(report.Outcome, Is.EqualTo(BootOutcome.PoweredOff), report.Detail);
        Assert.That(report.Vms[0].Outcome, Is.EqualTo(BootOutcome.TextSeen));
        Assert.That(report.Vms[1].Outcome, Is.EqualTo(BootOutcome.PoweredOff));
        Assert.That(report.Detail, Does.Contain("VM 1"));
    }

    [Test]
    public void Group_stops_at_the_virtual_time_limit_and_rejects_bad_input()
    {
        var vms = new[] { Vm("x", TinyGuest.Then.Spin), Vm("y", TinyGuest.Then.Spin) };
        var report = new VmGroup(vms).Run(new BootLimits { Until = "never", VirtualTime = TimeSpan.FromMilliseconds(20) });
        Assert.That(report.Outcome, Is.EqualTo(BootOutcome.VirtualLimit));
        Assert.That(report.VirtualTime, Is.EqualTo(TimeSpan.FromMilliseconds(20)));
        Assert.That(() => new VmGroup([]), Throws.ArgumentException);
        Assert.That(() => new VmGroup([vms[0], vms[0]]), Throws.ArgumentException);
        Assert.That(() => new VmGroup(vms).QuantumNanoseconds = 0, Throws.InstanceOf<ArgumentOutOfRangeException>());
    }
}
