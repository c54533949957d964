using L4Re.Uvmm.Loaders;
using L4Re.Uvmm.Mips;
using L4Re.Uvmm.Vmm;
using L4Re.Uvmm.Vz;

namespace L4Re.Uvmm.Tests.Vmm;

/// <summary>The seams a VMM on a microkernel composes MipsVm with: its own second stage, vCPU options, a loader for a non-Linux image, and a runner.</summary>
public class VmBuilderSeamTests
{
    private const uint Entry = 0x8000_1000;

    private static readonly MipsPlatformOptions Small = new() { MemorySize = 16 << 20 };

    /// <summary>Prints "ok" with HYPCALL putchar, then powers off (uvmm's SDK codes 0x160, 0x161).</summary>
    private static VmBuilder Program(string source = "li $a0, 0x6f\n hypcall 0x160\n li $a0, 0x6b\n hypcall 0x160\n li $a0, 0\n hypcall 0x161\n nop")
    {
        var program = Assembler.Assemble(source, Entry);
        return new VmBuilder().WithPlatform(Small).WithLoader((ram, _) =>
        {
            ram.Write(Entry & 0x1fff_ffff, program.Bytes);
            return new UhiBootState(Entry, 1, 2, 3, 4, 0);
        });
    }

    [Test]
    public void A_loader_places_the_image_and_sets_the_boot_registers()
    {
        var vm = Program().Build();
        Assert.Multiple(() =>
        {
            Assert.That(vm.Vcpu.Pc, Is.EqualTo(Entry));
            Assert.That(new[] { vm.Vcpu.GetGpr(4), vm.Vcpu.GetGpr(5), vm.Vcpu.GetGpr(6), vm.Vcpu.GetGpr(7) }, Is.EqualTo(new uint[] { 1, 2, 3, 4 }));
            Assert.That(vm.Vcpu.State.Status & (Cp0Bits.StatusERL | Cp0Bits.StatusBEV), Is.Zero);
            Assert.That(vm.Boot, Is.Null, "no Linux image");
        });
        vm.RunFor(ulong.MaxValue);
        Assert.That(vm.StopReason?.Kind, Is.EqualTo(ShutdownKind.PowerOff));
        Assert.That(vm.Console.Text, Is.EqualTo("ok"));
    }

    [Test]
    public void A_kernel_and_a_loader_exclude_each_other() =>
        Assert.Throws<InvalidOperationException>(() => Program().WithKernel("/nonexistent/vmlinux").Build());

    [Test]
    public void The_second_stage_and_vcpu_options_are_the_callers()
    {
        DataspaceSecondStage? stage = null;
        var vm = Program()
            .WithVcpuOptions(new VcpuOptions { CpuNum = 0, TlbEntries = 64 })
            .WithSecondStage(platform =>
            {
                stage = new DataspaceSecondStage();
                foreach (var r in platform.Vm.Ram.Regions)
                    stage.Map(r.GuestPhysical, r.Dataspace, 0, r.Size);
                return stage;
            })
            .Build();
        Assert.That(vm.SecondStage, Is.SameAs(stage));
        Assert.That(vm.Vcpu.Tlb.Size, Is.EqualTo(64));
        Assert.That(() => new VmBuilder().WithVcpuOptions(new VcpuOptions { CpuNum = 1 }), Throws.ArgumentException);
        vm.RunFor(ulong.MaxValue);
        Assert.That(vm.Console.Text, Is.EqualTo("ok"));
    }

    [Test]
    public void A_runner_resumes_the_vcpu_and_its_idle_decides_whether_a_wait_can_end()
    {
        var vm = Program(WaitForIp2 + "li $a0, 7\n hypcall 0x161\n nop").Build();
        var runner = new CountingRunner { Wakeable = false };
        vm.Runner = runner;
        vm.RunFor(ulong.MaxValue);
        Assert.Multiple(() =>
        {
            Assert.That(runner.Resumes, Is.GreaterThan(0));
            Assert.That(runner.IdleCalls, Is.EqualTo(1));
            Assert.That(runner.LastIdleCycles, Is.EqualTo(ulong.MaxValue), "no deadline");
            Assert.That(vm.StopReason?.Kind, Is.EqualTo(ShutdownKind.Halt));
            Assert.That(vm.StopReason?.Reason, Does.Contain("nothing can raise"));
        });
    }

    [Test]
    public void A_wait_bounded_by_the_run_limit_idles_through_the_runner()
    {
        var vm = Program(WaitForIp2 + "b .\n nop").Build();
        var runner = new CountingRunner { Wakeable = true };
        vm.Runner = runner;
        Assert.That(vm.RunFor(1_000_000), Is.True, "still runnable");
        Assert.That(runner.IdleCalls, Is.GreaterThan(0));
        Assert.That(runner.LastIdleCycles, Is.Not.EqualTo(ulong.MaxValue));
        Assert.That(vm.Clock.NowNanoseconds, Is.GreaterThanOrEqualTo(1_000_000UL));
    }

    /// <summary>Enables only interrupt line 2 (no device drives it, the timer line stays masked) and waits: only an event from outside could end this WAIT.</summary>
    private const string WaitForIp2 = "li $t0, 0x401\n mtc0 $t0, $12\n nop\n wait\n nop\n";

    private sealed class CountingRunner : IVcpuRunner
    {
        public bool Wakeable { get; init; }
        public int Resumes { get; private set; }
        public int IdleCalls { get; private set; }
        public ulong LastIdleCycles { get; private set; }

        public VcpuExit Resume(Vcpu vcpu, long maxInstructions)
        {
            Resumes++;
            return vcpu.Run(maxInstructions);
        }

        public bool Idle(Vcpu vcpu, ulong cycles)
        {
            IdleCalls++;
            LastIdleCycles = cycles;
            if (!Wakeable || cycles == ulong.MaxValue)
                return false;
            vcpu.AdvanceIdle(cycles);
            return true;
        }
    }
}
