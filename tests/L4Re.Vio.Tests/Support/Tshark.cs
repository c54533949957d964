using System.Diagnostics;

namespace L4Re.Vio.Tests.Support;

/// <summary>Runs tshark (Debian package <c>tshark</c>) on a capture file; fails the test clearly when it is missing.</summary>
internal static class Tshark
{
    public static string Path
    {
        get
        {
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':').Append("/usr/bin"))
            {
                var p = System.IO.Path.Combine(dir, "tshark");
                if (File.Exists(p))
                    return p;
            }
            Assert.Fail("tshark is not installed: install the Debian package 'tshark' (the build's Test target does) to check pcap files");
            return "";
        }
    }

    /// <summary>Reads <paramref name="file"/> and returns one line per frame with the given fields, separated by '|'.</summary>
    public static string[] Fields(string file, params string[] fields)
    {
        var psi = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "-n", "-r", file, "-T", "fields", "-E", "separator=|", "-E", "occurrence=a", "-E", "aggregator=," })
            psi.ArgumentList.Add(a);
        foreach (var f in fields)
        {
            psi.ArgumentList.Add("-e");
            psi.ArgumentList.Add(f);
        }
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill();
            Assert.Fail("tshark did not finish within 120 s");
        }
        Assert.That(process.ExitCode, Is.Zero, $"tshark failed: {stderr.Result}");
        return stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
