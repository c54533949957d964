namespace L4Re.Integration.Tests;

public class CliTests
{
    [Test]
    public void Platform_memory_map_lists_the_uarts()
    {
        var (rc, stdout, stderr) = CliRunner.Run("platform", "memory-map");
        Assert.That(rc, Is.EqualTo(0), stderr);
        Assert.That(stdout, Does.Contain("uart0").And.Contain("0x1f04a000"));
    }

    [Test]
    public void Unknown_command_fails_with_a_message()
    {
        var (rc, _, stderr) = CliRunner.Run("no-such-command");
        Assert.That(rc, Is.Not.EqualTo(0));
        Assert.That(stderr, Is.Not.Empty);
    }
}
