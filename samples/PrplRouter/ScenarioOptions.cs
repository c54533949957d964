namespace PrplRouter;

/// <summary>The sample's settings (all have defaults: <c>dotnet run --project samples/PrplRouter</c> needs no arguments).</summary>
public sealed record ScenarioOptions
{
    /// <summary>The country the trusted component enforces.</summary>
    public string Country { get; init; } = "US";

    /// <summary>With the IOMMU model (true) or as the Baikal-T1 is, without one.</summary>
    public bool Iommu { get; init; } = true;

    /// <summary>Where the switch's monitor port is written as pcap.</summary>
    public string PcapPath { get; init; } = DefaultPcapPath;

    /// <summary>Log everything the packages log (Information), not only warnings.</summary>
    public bool Verbose { get; init; }

    /// <summary>Boot Debian's Linux kernel from the guest cache in the VM instead of the stand-in program.</summary>
    public bool Linux { get; init; }

    /// <summary>With <see cref="Linux"/>: the virtual time the VM runs.</summary>
    public double LinuxSeconds { get; init; } = 2;

    /// <summary>With <see cref="Linux"/>: the initramfs file, or null for none.</summary>
    public string? Initrd { get; init; }

    /// <summary>The default pcap path: <c>$TMP/l4re-prpl-router/monitor.pcap</c>.</summary>
    public static string DefaultPcapPath => Path.Combine(Path.GetTempPath(), "l4re-prpl-router", "monitor.pcap");
}
