using L4Re.Platform.BaikalT.Board;
using L4Re.Platform.BaikalT.Vm;

namespace L4Re.Platform.BaikalT.Tests.Vm;

/// <summary>Debian's unmodified mipsel kernel (scripts/fetch-guest.sh; L4RE_CACHE, else &lt;repo&gt;/.cache) as the router's untrusted VM.</summary>
public class LinuxGuestTests
{
    private static string Kernel()
    {
        var cache = Environment.GetEnvironmentVariable("L4RE_CACHE");
        if (string.IsNullOrEmpty(cache))
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null && cache is null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "L4Re.slnx")))
                    cache = Path.Combine(dir.FullName, ".cache");
            }
        }
        var manifest = Path.Combine(cache ?? ".cache", "debian-mipsel", "manifest.txt");
        if (!File.Exists(manifest))
            Assert.Fail($"{manifest} is missing: run `bash scripts/fetch-guest.sh` to download the Debian mipsel kernel");
        var line = File.ReadLines(manifest).FirstOrDefault(l => l.StartsWith("kernel=", StringComparison.Ordinal));
        var kernel = Path.Combine(Path.GetDirectoryName(manifest)!, line?["kernel=".Length..] ?? "");
        if (line is null || !File.Exists(kernel))
            Assert.Fail($"{manifest} names no existing kernel; re-run scripts/fetch-guest.sh");
        return kernel;
    }

    [Test]
    public void Linux_boots_in_the_router_vm_with_its_console_on_the_passed_through_uart()
    {
        using var router = TestRouters.Builder().WithVmMemory(128L << 20).WithGuest(new LinuxGuestImage(Kernel())).Build();
        // 2 s of VM time (about 2.4 G instructions): the kernel decompresses itself, then prints its early log.
        var r = router.RunGuest(maxVirtualNs: 2_000_000_000);
        var console = router.Vmm!.ConsoleLines;
        Assert.Multiple(() =>
        {
            Assert.That(r.Stop, Is.EqualTo(VmStop.TimeLimit), r.Reason);
            Assert.That(console, Has.Some.Contains("Linux version"));
            Assert.That(console, Has.Some.Contains("MIPS: machine is Baikal-T1 prpl router"), "the VM's device tree");
            Assert.That(console, Has.Some.Contains("earlycon: uart0 at MMIO32 0x1f04b000"), "the DW APB UART1, passed through from the vbus");
            Assert.That(console, Has.Some.Contains("CPU0 revision is: 0001a200"), "the proAptiv PRId Debian's r2 kernel needs");
            Assert.That(console, Has.None.Contains("Oops").And.None.Contains("BUG:"));
            Assert.That(router.Vmm.Stage.Vm.Memory.TryTranslate(BoardIoConfig.WifiBar0, out _), Is.False);
            Assert.That(router.Wifi.Ready && !router.WifiThread.IsDead, Is.True);
        });
    }
}
