using System.Diagnostics;

namespace L4Re.Uvmm.Tests.Loaders;

/// <summary>The Debian mipsel guest software scripts/fetch-guest.sh caches (L4RE_CACHE, else &lt;repo&gt;/.cache).</summary>
internal static class GuestFiles
{
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "L4Re.slnx")))
                    return dir.FullName;
            }
            throw new InvalidOperationException("repository root (L4Re.slnx) not found above " + AppContext.BaseDirectory);
        }
    }

    public static string Cache => Environment.GetEnvironmentVariable("L4RE_CACHE") is { Length: > 0 } c ? c : Path.Combine(RepositoryRoot, ".cache");

    public static string GuestDirectory => Path.Combine(Cache, "debian-mipsel");

    private static string Manifest(string key)
    {
        var manifest = Path.Combine(GuestDirectory, "manifest.txt");
        if (!File.Exists(manifest))
            Assert.Fail($"{manifest} is missing: run `bash scripts/fetch-guest.sh` (build.cake's Prerequisites does) to download the Debian mipsel kernel and busybox");
        var line = File.ReadAllLines(manifest).FirstOrDefault(l => l.StartsWith(key + "=", StringComparison.Ordinal));
        if (line is null)
            Assert.Fail($"{manifest} has no '{key}=' line; re-run scripts/fetch-guest.sh");
        var path = Path.Combine(GuestDirectory, line![(key.Length + 1)..]);
        if (!File.Exists(path) && !Directory.Exists(path))
            Assert.Fail($"{path} (from {manifest}) is missing; re-run scripts/fetch-guest.sh");
        return path;
    }

    public static string Kernel => Manifest("kernel");

    /// <summary>An initramfs image built by scripts/build-initramfs.sh (marker or virtio).</summary>
    public static string Initramfs(string name)
    {
        var path = Path.Combine(Cache, "initramfs", name + ".cpio.gz");
        if (!File.Exists(path))
            Assert.Fail($"{path} is missing: run `bash scripts/build-initramfs.sh` (build.cake's Prerequisites does)");
        return path;
    }

    /// <summary>The marker line the initramfs /init prints (from the initramfs manifest).</summary>
    public static string Marker
    {
        get
        {
            var manifest = Path.Combine(Cache, "initramfs", "manifest.txt");
            if (!File.Exists(manifest))
                Assert.Fail($"{manifest} is missing: run `bash scripts/build-initramfs.sh`");
            return File.ReadAllLines(manifest).Single(l => l.StartsWith("marker=", StringComparison.Ordinal))["marker=".Length..];
        }
    }
    public static string Modules => Manifest("modules");
    public static string Busybox => Manifest("busybox");

    /// <summary>Runs a tool and returns its stdout, failing the test with a clear message when it is missing or fails.</summary>
    public static string Run(string tool, string arguments)
    {
        var psi = new ProcessStartInfo(tool, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        Process p;
        try
        {
            p = Process.Start(psi)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Assert.Fail($"{tool} cannot be started ({e.Message}); install it (build.cake's Prerequisites lists the Debian packages)");
            throw;
        }
        using (p)
        {
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEnd();
            p.WaitForExit();
            Assert.That(p.ExitCode, Is.Zero, $"{tool} {arguments} failed: {stderr}");
            return stdout.Result;
        }
    }
}
