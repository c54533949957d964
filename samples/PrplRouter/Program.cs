using System.CommandLine;
using Microsoft.Extensions.Logging;

namespace PrplRouter;

/// <summary>
/// The prpl Wi-Fi router demo (the seed talk): OpenWrt in a VM on the L4Re microhypervisor on a Baikal-T1, with the Wi-Fi
/// driver in a trusted component behind the FCC policy gate. Runs the whole story on built-in defaults, prints a report
/// and exits 0 only when every expectation is met.
/// </summary>
public static class Program
{
    /// <summary>Runs the sample with <paramref name="args"/>; the report goes to <paramref name="stdout"/>.</summary>
    /// <returns>0 when every expectation was met, 1 when one failed, 2 for bad arguments or a configuration error.</returns>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var country = new Option<string>("--country") { Description = "The country the trusted side enforces (ISO alpha2).", DefaultValueFactory = _ => "US" };
        var noIommu = new Option<bool>("--no-iommu") { Description = "Run the router as the Baikal-T1 is, without an IOMMU (the DMA demo shows both anyway)." };
        var pcap = new Option<string>("--pcap") { Description = "Where to write the switch's monitor capture.", DefaultValueFactory = _ => ScenarioOptions.DefaultPcapPath };
        var verbose = new Option<bool>("--verbose") { Description = "Log everything the packages log, not only warnings." };
        var linux = new Option<bool>("--linux") { Description = "Boot Debian's mipsel Linux kernel from the guest cache (scripts/fetch-guest.sh, $L4RE_CACHE) in the VM instead of the stand-in OpenWrt program." };
        var linuxSeconds = new Option<double>("--linux-seconds") { Description = "With --linux: how much virtual time the VM runs.", DefaultValueFactory = _ => 2 };
        var initrd = new Option<FileInfo?>("--initrd") { Description = "With --linux: an initramfs for the kernel (e.g. .cache/initramfs/marker.cpio.gz from scripts/build-initramfs.sh)." };
        var root = new RootCommand("The prpl router on a virtual Baikal-T1: untrusted OpenWrt VM, trusted Wi-Fi component, FCC policy gate.")
        {
            country, noIommu, pcap, verbose, linux, linuxSeconds, initrd,
        };
        root.SetAction(r => Execute(new ScenarioOptions
        {
            Country = r.GetValue(country)!,
            Iommu = !r.GetValue(noIommu),
            PcapPath = r.GetValue(pcap)!,
            Verbose = r.GetValue(verbose),
            Linux = r.GetValue(linux),
            LinuxSeconds = r.GetValue(linuxSeconds),
            Initrd = r.GetValue(initrd)?.FullName,
        }, stdout, stderr));
        return root.Parse(args).Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
    }

    /// <summary>Runs the scenario with <paramref name="options"/>.</summary>
    public static int Execute(ScenarioOptions options, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var loggerFactory = LoggerFactory.Create(b => b
            .AddSimpleConsole(o => o.SingleLine = true)
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace) // logs on stderr, the report on stdout
            .SetMinimumLevel(LogLevel.Information)
            .AddFilter("L4Re", options.Verbose ? LogLevel.Information : LogLevel.Warning)
            .AddFilter("L4Re.Io.Dma", LogLevel.Error)); // the DMA demo's refused transfer is expected; the report shows it
        string? kernel = null;
        if (options.Linux)
        {
            if (options.LinuxSeconds is not (> 0 and <= 3600))
            {
                stderr.WriteLine("--linux-seconds: expected a positive number of seconds up to 3600");
                return 2;
            }
            (kernel, var error) = LinuxStory.FindKernel();
            if (kernel is null)
            {
                stderr.WriteLine(error);
                return 2;
            }
        }
        try
        {
            var result = kernel is null ? Scenario.Run(options, stdout, loggerFactory) : LinuxStory.Run(options, kernel, options.LinuxSeconds, stdout, loggerFactory);
            return result.Success ? 0 : 1;
        }
        catch (L4Re.Platform.BaikalT.Composition.RouterConfigurationException e)
        {
            stderr.WriteLine(e.Message);
            return 2;
        }
        catch (Exception e) when (kernel is not null && e is L4Re.Uvmm.Loaders.LoaderException or IOException)
        {
            stderr.WriteLine($"--linux: {e.Message}");
            return 2;
        }
    }

    /// <summary>Process entry point.</summary>
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);
}
