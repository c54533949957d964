using System.Diagnostics;
using System.Text.Json;

namespace L4Re.Integration.Tests;

/// <summary>The <c>l4re</c> command groups end to end through <see cref="L4Re.Cli.Program.Run"/>.</summary>
public class ToolCliTests
{
    [Test]
    public void Kernel_demo_prints_a_trace_with_page_faults_and_ipc()
    {
        var (rc, stdout, stderr) = CliRunner.Run("kernel", "demo");
        Assert.That(rc, Is.EqualTo(0), stderr);
        Assert.That(stdout, Does.Contain("# kernel trace").And.Contain(" pf ").And.Contain(" ipc "));
    }

    [Test]
    public void Kernel_graph_dot_is_a_graphviz_digraph()
    {
        var (rc, stdout, stderr) = CliRunner.Run("kernel", "graph", "--dot");
        Assert.That(rc, Is.EqualTo(0), stderr);
        Assert.That(stdout.TrimStart(), Does.StartWith("digraph"));
        Assert.That(stdout.TrimEnd(), Does.EndWith("}"));
        Assert.That(stdout, Does.Contain("->"));
    }

    [Test]
    public void Io_check_accepts_the_baikal_router_configuration()
    {
        var config = Path.Combine(TestContext.CurrentContext.TestDirectory, "baikal-t1-router.iocfg");
        var (rc, stdout, stderr) = CliRunner.Run("io", "check", config);
        Assert.That(rc, Is.EqualTo(0), stderr);
        Assert.That(stdout, Does.StartWith("ok:"));
    }

    [Test]
    public void Io_check_reports_a_located_error_for_a_broken_configuration()
    {
        var config = Path.Combine(Path.GetTempPath(), $"l4re-broken-{Guid.NewGuid():N}.iocfg");
        File.WriteAllText(config, "this is not a configuration {\n");
        try
        {
            var (rc, stdout, stderr) = CliRunner.Run("io", "check", config);
            Assert.That(rc, Is.Not.EqualTo(0));
            Assert.That(stdout + stderr, Does.Contain(":1:"));
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Test]
    public void Vio_switch_monitor_capture_is_readable_by_tshark()
    {
        var pcap = Path.Combine(Path.GetTempPath(), $"l4re-switch-{Guid.NewGuid():N}.pcap");
        try
        {
            var (rc, stdout, stderr) = CliRunner.Run("vio", "switch", "--port", "name=a", "--port", "name=b", "--frames", "2", "--pcap", pcap);
            Assert.That(rc, Is.EqualTo(0), stderr);
            Assert.That(stdout, Does.Contain("4 frames"));
            var tshark = Tools.Run("tshark", $"-r \"{pcap}\" -T fields -e eth.dst");
            Assert.That(tshark.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(4).And.All.EqualTo("ff:ff:ff:ff:ff:ff"));
        }
        finally
        {
            File.Delete(pcap);
        }
    }

    [Test]
    public void Run_elf_json_reports_the_registers_of_a_cross_compiled_program()
    {
        var dir = Directory.CreateTempSubdirectory("l4re-run-elf-");
        try
        {
            var src = Path.Combine(dir.FullName, "t.S");
            var elf = Path.Combine(dir.FullName, "t.elf");
            File.WriteAllText(src, """
                    .set noreorder
                    .globl __start
                __start:
                    li    $t0, 5
                    li    $t1, 0x12345678
                    addu  $v0, $t0, $t1
                    multu $t0, $t1
                    wait
                    nop
                """);
            Tools.Run("mipsel-linux-gnu-gcc", $"-march=mips32r2 -EL -mno-abicalls -fno-pic -no-pie -nostdlib -Wl,-Ttext=0x80001000 -o \"{elf}\" \"{src}\"");
            var (rc, stdout, stderr) = CliRunner.Run("run-elf", elf, "--json");
            Assert.That(rc, Is.EqualTo(0), stderr);
            using var doc = JsonDocument.Parse(stdout);
            var r = doc.RootElement;
            Assert.That(r.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "exit", "pc", "instructions", "gpr", "hi", "lo" }));
            Assert.That(r.GetProperty("exit").GetString(), Is.EqualTo("wait"));
            Assert.That(r.GetProperty("pc").GetString(), Is.EqualTo("0x80001014"));
            Assert.That(r.GetProperty("instructions").GetInt64(), Is.EqualTo(6));
            var gpr = r.GetProperty("gpr").EnumerateArray().Select(e => e.GetString()).ToArray();
            Assert.That(gpr, Has.Length.EqualTo(32));
            Assert.That(gpr, Has.All.Match("^0x[0-9a-f]{8}$"));
            Assert.That(gpr[2], Is.EqualTo("0x1234567d"));
            Assert.That(r.GetProperty("lo").GetString(), Is.EqualTo("0x5b05b058"));
            Assert.That(r.GetProperty("hi").GetString(), Is.EqualTo("0x00000000"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Test]
    public void Run_elf_refuses_a_file_that_is_not_an_elf()
    {
        var file = Path.Combine(Path.GetTempPath(), $"l4re-not-elf-{Guid.NewGuid():N}");
        File.WriteAllBytes(file, [1, 2, 3, 4, 5]);
        try
        {
            var (rc, _, stderr) = CliRunner.Run("run-elf", file, "--json");
            Assert.That(rc, Is.Not.EqualTo(0));
            Assert.That(stderr, Is.Not.Empty);
        }
        finally
        {
            File.Delete(file);
        }
    }
}

/// <summary>Runs reference tools the Test target installs; a missing tool fails the test with its package name.</summary>
internal static class Tools
{
    public static string Run(string tool, string arguments)
    {
        var psi = new ProcessStartInfo(tool, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        Process p;
        try
        {
            p = Process.Start(psi)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Assert.Fail($"{tool} is not installed ({e.Message}); the Test target installs it with apt-get");
            throw;
        }
        using (p)
        {
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEnd();
            p.WaitForExit();
            Assert.That(p.ExitCode, Is.EqualTo(0), $"{tool} {arguments}: {stderr}");
            return stdout.Result;
        }
    }
}
