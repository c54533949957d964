namespace L4Re.Integration.Tests;

public class CliTests
{
    [Test]
    public void Platform_memory_map_lists_the_uarts()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var rc = L4Re.Cli.Program.Run(["platform", "memory-map"], stdout, stderr);
        Assert.That(rc, Is.EqualTo(0), stderr.ToString());
        Assert.That(stdout.ToString(), Does.Contain("uart0").And.Contain("0x1f04a000"));
    }

    [Test]
    public void Unknown_command_fails_with_a_message()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var rc = L4Re.Cli.Program.Run(["no-such-command"], stdout, stderr);
        Assert.That(rc, Is.Not.EqualTo(0));
        Assert.That(stderr.ToString(), Is.Not.Empty);
    }
}
