using L4Re.Io.Config;
using L4Re.Io.Hw;
using L4Re.Kernel.Abi;
using L4Re.Platform.BaikalT.Soc;
using L4Re.Platform.BaikalT.Wifi;

namespace L4Re.Platform.BaikalT.Board;

/// <summary>
/// io's hardware description of the board (what io's <c>hw_devices</c> Lua table holds on a real Baikal-T1): every
/// peripheral of <see cref="BaikalT1MemoryMap"/> with its MMIO window and level-high interrupts, the PCIe host bridge
/// (which io drives itself: windows only) and the Wi-Fi NIC behind it as PCI function 0000:01:00.0 with BAR0 in the
/// PCIe memory window and INTA on the bridge's first interrupt (shared, as PCI INTx is). CPU-side blocks (GIC, CPC,
/// CDMM, CM, L2 sync) belong to the kernel and are not io devices; memory blocks neither.
/// </summary>
public static class BoardIoConfig
{
    /// <summary>io's name of the Wi-Fi NIC.</summary>
    public const string WifiDevice = "wifi";

    /// <summary>The NIC's PCI identity: the QCA9880 (168c:003c, class 0x028000 network controller "other") of the prpl board.</summary>
    public static PciIdentity WifiPci { get; } = new(0x168c, 0x003c, 0x02_8000, Address: new PciAddress(0, 1, 0, 0));

    /// <summary>The io match string of the NIC (<c>match pci "..."</c>).</summary>
    public const string WifiPciMatch = "VEN_168c&DEV_003c";

    /// <summary>BAR0 of the NIC: the start of the PCIe memory window.</summary>
    public const ulong WifiBar0 = 0x0800_0000;

    /// <summary>The NIC's interrupt (PCIe INTA, the first Baikal-T1 PCIe interrupt).</summary>
    public const uint WifiIrq = 80;

    /// <summary>The io vbus of the trusted Wi-Fi driver.</summary>
    public const string WifiVbus = "wifi";

    /// <summary>The io vbus of the untrusted OpenWrt VM.</summary>
    public const string OpenWrtVbus = "openwrt";

    private static readonly HashSet<string> CpuBlocks = ["gic", "cpc", "cdmm", "cm2-gcr", "l2-sync"];

    /// <summary>Adds every hardware device of the board to <paramref name="builder"/>.</summary>
    public static IoConfigBuilder AddHardware(IoConfigBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var block in BaikalT1MemoryMap.Blocks)
        {
            if (block.Compatible.Length == 0 || CpuBlocks.Contains(block.Name))
                continue;
            if (block.Name == "pcie-dbi")
            {
                var cfg = BaikalT1MemoryMap.Blocks.Single(b => b.Name == "pcie-cfg");
                builder.Device("pcie", d => d.Hid("baikal,bt1-pcie").Compatible(block.Compatible)
                    .Mmio("dbi", block.Base, block.Size).Mmio("cfg", cfg.Base, cfg.Size));
                continue;
            }
            builder.Device(block.Name, d =>
            {
                d.Hid(block.Compatible).Compatible(Compatibles(block.Compatible));
                if (block.Compatible is "snps,dwmac" or "snps,dwc-ahci" or "snps,dwc3" or "snps,dma-spear1340")
                    d.Dma();
                d.Mmio("reg0", block.Base, block.Size);
                for (var i = 0; i < block.Irqs.Count; i++)
                    d.Irq($"irq{i}", (uint)block.Irqs[i], IrqMode.LevelHigh);
            });
        }
        builder.Device(WifiDevice, d => d.Compatible("pci168c,003c").Pci(WifiPci).Dma()
            .Mmio("bar0", WifiBar0, WifiNicRegisters.WindowSize).Irq("inta", WifiIrq, IrqMode.LevelHigh, shared: true));
        return builder;
    }

    /// <summary>
    /// The router's configuration: the hardware, vbus <see cref="WifiVbus"/> with the NIC (for the trusted driver) and
    /// vbus <see cref="OpenWrtVbus"/> with UART1 and both GMACs (for the OpenWrt VM). UART0 stays with L4Re's console,
    /// the watchdog, timers and the PCIe bridge with io.
    /// </summary>
    public static IoConfig Router(Action<IoConfigBuilder>? extra = null)
    {
        var b = AddHardware(new IoConfigBuilder("baikal-t1-router"))
            .Vbus(WifiVbus, v => v.MatchPci(WifiPciMatch))
            .Vbus(OpenWrtVbus, v => v.Device("uart1").MatchCompatible("snps,dwmac"));
        extra?.Invoke(b);
        return b.Build();
    }

    private static string[] Compatibles(string compatible) =>
        compatible == "snps,dw-apb-uart" ? [compatible, "ns16550a"] : [compatible];
}
