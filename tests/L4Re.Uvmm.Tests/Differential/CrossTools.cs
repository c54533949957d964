using System.Diagnostics;
using System.Text;

namespace L4Re.Uvmm.Tests.Differential;

/// <summary>
/// The reference tools the differential tests run: the mipsel cross toolchain and QEMU. A missing tool fails
/// the test with the Debian package to install (build.cake's Prerequisites target installs them).
/// </summary>
internal static class CrossTools
{
    public const string Gcc = "mipsel-linux-gnu-gcc";
    public const string As = "mipsel-linux-gnu-as";
    public const string Objcopy = "mipsel-linux-gnu-objcopy";
    public const string Nm = "mipsel-linux-gnu-nm";
    public const string QemuSystem = "qemu-system-mipsel";
    public const string QemuUser = "qemu-mipsel-static";

    public static string Require(string tool)
    {
        var package = tool switch
        {
            Gcc => "gcc-mipsel-linux-gnu",
            As or Objcopy or Nm => "binutils-mipsel-linux-gnu",
            QemuSystem => "qemu-system-mips",
            QemuUser => "qemu-user-static",
            _ => tool,
        };
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':'))
        {
            var path = Path.Combine(dir, tool);
            if (File.Exists(path))
                return path;
        }
        Assert.Fail($"{tool} is not installed: install the Debian package '{package}' (dotnet cake --target=Test installs it)");
        return tool;
    }

    /// <summary>Runs a tool, failing the test on a non-zero exit code or timeout; returns stdout.</summary>
    public static string Run(string tool, string arguments, string? workDir = null, int timeoutMs = 120_000, string? stdin = null)
    {
        var psi = new ProcessStartInfo(Require(tool), arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
            WorkingDirectory = workDir ?? Environment.CurrentDirectory,
        };
        using var process = Process.Start(psi)!;
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }
        if (!process.WaitForExit(timeoutMs))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{tool} {arguments} timed out after {timeoutMs} ms");
        }
        process.WaitForExit();
        if (process.ExitCode != 0)
            Assert.Fail($"{tool} {arguments} exited with {process.ExitCode}:\n{stderr}\n{stdout}");
        return stdout.ToString();
    }

    /// <summary>A fresh temporary directory for one test.</summary>
    public static string TempDir(string name)
    {
        var dir = Path.Combine(Path.GetTempPath(), "l4re-uvmm-tests", name + "-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("n")[..8]);
        Directory.CreateDirectory(dir);
        return dir;
    }
}
