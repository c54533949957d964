using L4Re.Uvmm.Tests.Loaders;
using L4Re.Uvmm.Tests.Vmm;

namespace L4Re.Integration.Tests;

/// <summary>
/// <c>l4re boot --until</c> exit codes with tiny bare-metal guests (cheap stand-ins for Linux): 0 on the text,
/// 1 on a kernel panic, 2 on bad arguments, 3 when a limit passes, 4 on power-off without the text.
/// </summary>
public class BootExitCodeTests
{
    private static (int Rc, string Stdout, string Stderr) Boot(string message, TinyGuest.Then then, params string[] options)
    {
        var kernel = TinyGuest.WriteTemp(message, then);
        try
        {
            return CliRunner.Run(["boot", "--kernel", kernel, "--mem", "16M", .. options]);
        }
        finally
        {
            File.Delete(kernel);
        }
    }

    [Test]
    public void Text_on_the_console_exits_0()
    {
        var (rc, stdout, stderr) = Boot("hello L4RE-TINY-MARKER", TinyGuest.Then.Spin, "--until", "L4RE-TINY-MARKER", "--max-seconds", "60");
        Assert.That(rc, Is.EqualTo(0), stderr);
        Assert.That(stdout, Does.Contain("hello L4RE-TINY-MARKER"));
    }

    [Test]
    public void Power_off_without_the_text_exits_4_and_without_until_exits_0()
    {
        var (rc, stdout, stderr) = Boot("going down", TinyGuest.Then.PowerOff, "--until", "never printed", "--max-seconds", "60");
        Assert.That(rc, Is.EqualTo(4), stderr);
        Assert.That(stdout, Does.Contain("going down"));
        Assert.That(stderr, Does.Contain("powered off"));
        (rc, _, stderr) = Boot("going down", TinyGuest.Then.PowerOff, "--max-seconds", "60");
        Assert.That(rc, Is.EqualTo(0), stderr);
    }

    [Test]
    public void Kernel_panic_exits_1()
    {
        var (rc, _, stderr) = Boot("Kernel panic - not syncing: VFS: Unable to mount root fs", TinyGuest.Then.Spin, "--until", "never printed", "--max-seconds", "60");
        Assert.That(rc, Is.EqualTo(1), stderr);
        Assert.That(stderr, Does.Contain("panicked"));
    }

    [Test]
    public void Limits_exit_3()
    {
        var (rc, _, stderr) = Boot("spinning", TinyGuest.Then.Spin, "--until", "never printed", "--max-instructions", "2000000");
        Assert.That(rc, Is.EqualTo(3), stderr);
        Assert.That(stderr, Does.Contain("instruction limit"));
        (rc, _, stderr) = Boot("spinning", TinyGuest.Then.Spin, "--until", "never printed", "--max-seconds", "0.05");
        Assert.That(rc, Is.EqualTo(3), stderr);
        Assert.That(stderr, Does.Contain("limit"));
    }

    [Test]
    public void Bad_arguments_exit_2()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"l4re-missing-{Guid.NewGuid():N}.elf");
        var (rc, _, stderr) = CliRunner.Run("boot", "--kernel", missing);
        Assert.That(rc, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("boot:"));
        (rc, _, stderr) = Boot("x", TinyGuest.Then.Spin, "--net", "not-a-mac");
        Assert.That(rc, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("--net"));
        (rc, _, _) = CliRunner.Run("boot-pair", "--kernel", missing, "--initrd", missing);
        Assert.That(rc, Is.EqualTo(2));
    }
}
