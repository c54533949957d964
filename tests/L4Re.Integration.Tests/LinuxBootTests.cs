using System.Text.RegularExpressions;
using L4Re.Uvmm.Tests.Loaders;

namespace L4Re.Integration.Tests;

/// <summary>
/// Issue 5 acceptance: the unmodified Debian mips32r2el kernel with the busybox marker initramfs boots in our VM
/// to /init (<c>l4re boot --until MARKER</c>, one boot shared by the assertions).
/// </summary>
[NonParallelizable]
public partial class LinuxBootTests
{
    private int _rc;
    private string _stdout = "";
    private string _stderr = "";

    [OneTimeSetUp]
    public void Boot()
    {
        (_rc, _stdout, _stderr) = CliRunner.Run("boot", "--kernel", GuestFiles.Kernel, "--initrd", GuestFiles.Initramfs("marker"),
            "--until", GuestFiles.Marker, "--max-seconds", "900");
    }

    [Test]
    public void Boot_reaches_the_marker_and_exits_0()
    {
        Assert.That(_rc, Is.EqualTo(0), _stderr + "\n" + Tail(_stdout));
        Assert.That(_stdout, Does.Contain(GuestFiles.Marker));
        Assert.That(_stderr, Does.Contain($"\"{GuestFiles.Marker}\" appeared on the console"));
        Assert.That(_stdout, Does.Contain("Run /init as init process"));
        Assert.That(_stdout, Does.Contain("l4re-initramfs: 6.1.").And.Contain("on mips"), "uname from busybox in the guest");
    }

    [Test]
    public void Kernel_log_has_no_oops_bug_or_panic()
    {
        Assert.That(_stdout, Does.Contain("Linux version 6.1."), "the kernel log is on the console");
        Assert.That(KernelTrouble().Matches(_stdout).Select(m => m.Value), Is.Empty, Tail(_stdout));
    }

    [Test]
    public void Proc_cpuinfo_names_the_cpu_we_model()
    {
        // The default platform's CPU node is mti,proaptiv (docs/vmm.md: Debian's MIPS32r2 kernel has no P5600 support);
        // Linux's cpu-probe.c names PRID_IMP_PROAPTIV_UP "MIPS proAptiv".
        Assert.That(_stdout, Does.Match(@"cpu model\s*:\s*MIPS proAptiv"));
        Assert.That(_stdout, Does.Match(@"system type\s*:\s*L4Re uvmm MIPS virtual platform"), "the DT model");
        Assert.That(_stdout, Does.Match(@"isa\s*:.*mips32r2"));
    }

    private static string Tail(string text) => text.Length <= 4000 ? text : text[^4000..];

    /// <summary>What Linux prints when something goes wrong: oopses, BUG()s, panics, warnings with a call trace.</summary>
    [GeneratedRegex(@"Oops|\bBUG[: ]|Kernel panic|Call Trace:|\bWARNING: CPU")]
    internal static partial Regex KernelTrouble();
}
