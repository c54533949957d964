using L4Re.Uvmm.Vz;

namespace L4Re.Uvmm.Tests.Differential;

/// <summary>
/// Differential tests against QEMU: each bare-metal program is compiled with mipsel-linux-gnu-gcc, run under
/// <c>qemu-system-mipsel -M malta -cpu P5600</c> and under our engine (<see cref="BareMetalMachine"/>), and the
/// final 32 GPRs, HI and LO must be identical, with both stopped at the program's WAIT.
/// </summary>
[Parallelizable(ParallelScope.Children)]
public class QemuBareMetalTests
{
    public static IEnumerable<string> Programs => BareMetalPrograms.Names;

    [Test]
    public void There_are_at_least_twenty_programs() => Assert.That(Programs.Count(), Is.GreaterThanOrEqualTo(20));

    [TestCaseSource(nameof(Programs))]
    public void Registers_match_qemu(string program)
    {
        var dir = CrossTools.TempDir("baremetal-" + Path.GetFileNameWithoutExtension(program));
        var (elf, done) = BareMetalPrograms.Build(program, dir);

        var machine = new BareMetalMachine();
        machine.Load(Elf32Image.Parse(File.ReadAllBytes(elf)));
        var ours = machine.Run(200_000_000);
        Assert.That(ours.Stop, Is.EqualTo(BareMetalStop.Wait), $"{program}: {ours.LastExit}");
        Assert.That(ours.Pc, Is.EqualTo(done), $"{program} stopped at the wrong WAIT");

        var qemu = QemuSystem.RunUntil(elf, done + 4, TimeSpan.FromSeconds(60));
        var names = Enumerable.Range(0, 32).Select(L4Re.Uvmm.Mips.RegisterNames.Gpr).ToArray();
        Assert.Multiple(() =>
        {
            for (var i = 0; i < 32; i++)
                Assert.That($"0x{machine.Vcpu.GetGpr(i):x8}", Is.EqualTo($"0x{qemu.Gpr[i]:x8}"), $"{program}: {names[i]}");
            Assert.That($"0x{machine.Vcpu.Hi:x8}", Is.EqualTo($"0x{qemu.Hi:x8}"), $"{program}: hi");
            Assert.That($"0x{machine.Vcpu.Lo:x8}", Is.EqualTo($"0x{qemu.Lo:x8}"), $"{program}: lo");
        });
        TestContext.Out.WriteLine($"{program}: {ours.Instructions} instructions, v0 = 0x{machine.Vcpu.GetGpr(2):x8}");
        Directory.Delete(dir, true);
    }
}
