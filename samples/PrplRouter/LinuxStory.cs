using System.Globalization;
using L4Re.Platform.BaikalT.Board;
using L4Re.Platform.BaikalT.Composition;
using L4Re.Platform.BaikalT.Vm;
using L4Re.Platform.BaikalT.Wifi;
using Microsoft.Extensions.Logging;

namespace PrplRouter;

/// <summary>
/// <c>--linux</c>: the same router, but the untrusted VM boots the real, unmodified Debian mipsel kernel from the guest cache
/// (<c>scripts/fetch-guest.sh</c>; <c>$L4RE_CACHE</c> or <c>.cache</c> at the repository root) instead of the stand-in program,
/// for a bounded stretch of virtual time, with its console on the passed-through UART1.
/// </summary>
public static class LinuxStory
{
    /// <summary>The kernel from the cache's manifest, or an error text saying how to get it.</summary>
    public static (string? Kernel, string? Error) FindKernel()
    {
        var cache = Environment.GetEnvironmentVariable("L4RE_CACHE");
        if (string.IsNullOrEmpty(cache))
        {
            for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            {
                if (Directory.Exists(Path.Combine(dir.FullName, ".cache", "debian-mipsel")))
                {
                    cache = Path.Combine(dir.FullName, ".cache");
                    break;
                }
            }
        }
        var manifest = cache is null ? null : Path.Combine(cache, "debian-mipsel", "manifest.txt");
        if (manifest is null || !File.Exists(manifest))
            return (null, $"--linux: the Debian guest cache is missing ({manifest ?? ".cache/debian-mipsel/manifest.txt above the current directory"}; set L4RE_CACHE or run `bash scripts/fetch-guest.sh`)");
        var line = File.ReadLines(manifest).FirstOrDefault(l => l.StartsWith("kernel=", StringComparison.Ordinal));
        var kernel = line is null ? null : Path.Combine(Path.GetDirectoryName(manifest)!, line["kernel=".Length..]);
        return kernel is not null && File.Exists(kernel) ? (kernel, null) : (null, $"--linux: {manifest} names no existing kernel");
    }

    /// <summary>Boots the kernel in the router's VM for <paramref name="seconds"/> of virtual time and checks the outcome.</summary>
    public static ScenarioResult Run(ScenarioOptions options, string kernel, double seconds, TextWriter report, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(report);
        var country = options.Country.ToUpperInvariant();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.PcapPath))!);
        var image = new LinuxGuestImage(kernel, options.Initrd is { } initrd ? File.ReadAllBytes(initrd) : null);
        using var router = new RouterBuilder()
            .WithLogging(loggerFactory)
            .WithCountry(country)
            .WithIommu(options.Iommu)
            .WithPcap(options.PcapPath)
            .WithVmMemory(128L << 20)
            .WithGuest(image)
            .Build();
        var w = new ReportWriter(report);
        w.Title("prpl Wi-Fi router on a virtual Baikal-T1: the untrusted VM boots Debian's Linux kernel");
        w.Line($"   guest: {image.Description}, command line '{OpenWrtDeviceTree.BootArgs}'");
        w.Section($"1. The VM runs for up to {seconds.ToString(CultureInfo.InvariantCulture)} s of virtual time (console: UART1, passed through)");
        var lines = 0;
        router.Vmm!.ConsoleLine = line =>
        {
            if (lines++ < 400)
                w.Line("   | " + line);
        };
        var vm = router.RunGuest(maxVirtualNs: (long)(seconds * 1e9)); // stops earlier when the guest powers off
        w.Line($"   VM stopped: {vm.Stop}: {vm.Reason}");
        w.Line(string.Create(CultureInfo.InvariantCulture, $"   {vm.Instructions:N0} guest instructions, {vm.VirtualNs / 1e9:0.000} s of virtual time"));

        var gate = router.Wifi.Gate!;
        var violations = router.Board.Nic.Emissions.Sum(e => RadioCompliance.Violations(e.State, gate.Country, gate.Capabilities).Count);
        var expectations = new List<Expectation>
        {
            new("Linux boots on the vCPU and prints its banner on the passed-through UART",
                router.Vmm.ConsoleLines.Any(l => l.Contains("Linux version", StringComparison.Ordinal)),
                router.Vmm.ConsoleLines.FirstOrDefault(l => l.Contains("Linux version", StringComparison.Ordinal)) ?? $"{router.Vmm.ConsoleLines.Count} console lines"),
            new("the VM has no mapping of the Wi-Fi NIC",
                !router.Vmm.Stage.Vm.Memory.TryTranslate(BoardIoConfig.WifiBar0, out _), "NIC BAR not in the VM object"),
            new("the trusted Wi-Fi component keeps serving and the NIC radiated only within the rules",
                router.Wifi.Ready && !router.WifiThread.IsDead && violations == 0, $"ready={router.Wifi.Ready}, emissions {router.Board.Nic.EmissionCount}, violations {violations}"),
        };
        if (options.Initrd is not null)
        {
            var panic = router.Vmm.ConsoleLines.FirstOrDefault(l => l.Contains("Kernel panic", StringComparison.Ordinal));
            expectations.Add(new("the kernel runs the initramfs's /init (no panic)", panic is null && router.Vmm.ConsoleLines.Any(l => l.Contains("Run /init", StringComparison.Ordinal)),
                panic ?? router.Vmm.ConsoleLines.LastOrDefault() ?? "no console output"));
            // Kernel log lines start with the printk timestamp; /init's own lines reach the console only through ttyS0.
            var noConsole = router.Vmm.ConsoleLines.FirstOrDefault(l => l.Contains("unable to open an initial console", StringComparison.Ordinal));
            var userLine = router.Vmm.ConsoleLines.SkipWhile(l => !l.Contains("Run /init", StringComparison.Ordinal)).Skip(1)
                .FirstOrDefault(l => l.Length > 0 && !l.StartsWith('['));
            expectations.Add(new("/init's own output reaches the console (ttyS0: UART1 bound by the 8250 driver)", noConsole is null && userLine is not null,
                noConsole ?? userLine ?? "no output from /init"));
        }
        w.Section("2. Expectations");
        foreach (var e in expectations)
            w.Line($"   [{(e.Met ? " ok " : "FAIL")}] {e.Name}: {e.Detail}");
        w.Line(expectations.All(e => e.Met) ? $"\nAll {expectations.Count} expectations met." : "\nSome expectations were not met.");
        return new ScenarioResult(expectations, vm, options.PcapPath, router.Monitor?.Writer.Frames ?? 0, vm.VirtualNs / 1e9);
    }
}
