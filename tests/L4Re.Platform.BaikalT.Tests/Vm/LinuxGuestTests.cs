using L4Re.Platform.BaikalT.Board;
using L4Re.Platform.BaikalT.Vm;

namespace L4Re.Platform.BaikalT.Tests.Vm;

/// <summary>Debian's unmodified mipsel kernel (scripts/fetch-guest.sh; L4RE_CACHE, else &lt;repo&gt;/.cache) as the router's untrusted VM.</summary>
public class LinuxGuestTests
{
    private static string Cache()
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
        return cache ?? ".cache";
    }

    private static string Kernel()
    {
        var manifest = Path.Combine(Cache(), "debian-mipsel", "manifest.txt");
        if (!File.Exists(manifest))
            Assert.Fail($"{manifest} is missing: run `bash scripts/fetch-guest.sh` to download the Debian mipsel kernel");
        var line = File.ReadLines(manifest).FirstOrDefault(l => l.StartsWith("kernel=", StringComparison.Ordinal));
        var kernel = Path.Combine(Path.GetDirectoryName(manifest)!, line?["kernel=".Length..] ?? "");
        if (line is null || !File.Exists(kernel))
            Assert.Fail($"{manifest} names no existing kernel; re-run scripts/fetch-guest.sh");
        return kernel;
    }

    private static (byte[] Image, string Marker) MarkerInitramfs()
    {
        var manifest = Path.Combine(Cache(), "initramfs", "manifest.txt");
        if (!File.Exists(manifest))
            Assert.Fail($"{manifest} is missing: run `bash scripts/fetch-guest.sh` and `bash scripts/build-initramfs.sh` to build the marker initramfs");
        var marker = File.ReadLines(manifest).FirstOrDefault(l => l.StartsWith("marker=", StringComparison.Ordinal))?["marker=".Length..];
        var image = Path.Combine(Path.GetDirectoryName(manifest)!, "marker.cpio.gz");
        if (string.IsNullOrEmpty(marker) || !File.Exists(image))
            Assert.Fail($"{manifest} names no marker line or {image} is missing; re-run scripts/build-initramfs.sh");
        return (File.ReadAllBytes(image), marker!);
    }

    [Test]
    public void Busybox_init_prints_its_marker_on_ttyS0_the_passed_through_uart_bound_by_of_serial()
    {
        var kernel = Kernel();
        var (initramfs, marker) = MarkerInitramfs();
        using var router = TestRouters.Builder().WithVmMemory(128L << 20).WithGuest(new LinuxGuestImage(kernel, initramfs)).Build();
        // The marker /init prints /proc/cpuinfo and its marker line on /dev/console, then powers off (about 3.2 s of VM time).
        var r = router.RunGuest(maxVirtualNs: 6_000_000_000);
        var console = router.Vmm!.ConsoleLines;
        Assert.Multiple(() =>
        {
            Assert.That(console, Has.Some.Contains("1f04b000.serial: ttyS0 at MMIO 0x1f04b000").And.Some.Contains("is a 16550A"),
                "Debian's 8250 of_serial driver binds UART1 through its ns16550a fallback compatible");
            Assert.That(console, Has.None.Contains("unable to open an initial console"));
            Assert.That(console, Has.Some.Contains(marker), "/init's own output on the router VM console");
            Assert.That(console, Has.None.Contains("Kernel panic").And.None.Contains("Oops"));
            Assert.That(r.Stop, Is.EqualTo(VmStop.PowerOff), r.Reason);
        });
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
