namespace L4Re.Platform.BaikalT.Soc;

/// <summary>
/// The Baikal-T1 SoC memory map (2 × MIPS P5600, 1 MB L2): addresses and interrupts from the
/// Baikal-T1 device trees (see <c>reference/mips-vz.md</c>). The SoC has no IOMMU.
/// </summary>
public static class BaikalT1MemoryMap
{
    /// <summary>Low DRAM: 128 MiB at physical address 0.</summary>
    public static SocBlock LowDram { get; } = new("dram-low", "", 0x0000_0000, 128UL << 20, []);

    /// <summary>High DRAM: 256 MiB at 0x20000000.</summary>
    public static SocBlock HighDram { get; } = new("dram-high", "", 0x2000_0000, 256UL << 20, []);

    /// <summary>UART0 (Synopsys DW APB UART, 16550-compatible, reg-shift 2).</summary>
    public static SocBlock Uart0 { get; } = new("uart0", "snps,dw-apb-uart", 0x1f04_a000, 0x1000, [48]);

    /// <summary>UART1.</summary>
    public static SocBlock Uart1 { get; } = new("uart1", "snps,dw-apb-uart", 0x1f04_b000, 0x1000, [49]);

    /// <summary>MIPS Global Interrupt Controller.</summary>
    public static SocBlock Gic { get; } = new("gic", "mti,gic", 0x1bdc_0000, 0x2_0000, []);

    /// <summary>Every block of the map, ordered by address.</summary>
    public static IReadOnlyList<SocBlock> Blocks { get; } =
    [
        LowDram,
        new("pcie-mem", "", 0x0800_0000, 0x0800_0000, []),
        new("pcie-cfg", "", 0x1bdb_0000, 0x1_0000, []),
        Gic,
        new("cpc", "mti,mips-cpc", 0x1bde_0000, 0x8000, []),
        new("cdmm", "", 0x1bde_8000, 0x8000, []),
        new("sram", "mmio-sram", 0x1bf8_0000, 0x1_0000, []),
        new("boot-rom", "", 0x1bfc_0000, 0x1_0000, []),
        new("dma", "snps,dma-spear1340", 0x1f04_1000, 0x1000, [56]),
        new("gpio0", "snps,dw-apb-gpio", 0x1f04_4000, 0x1000, [19]),
        new("gpio1", "snps,dw-apb-gpio", 0x1f04_5000, 0x1000, []),
        new("i2c1", "snps,designware-i2c", 0x1f04_6000, 0x1000, [33]),
        new("i2c2", "snps,designware-i2c", 0x1f04_7000, 0x1000, [34]),
        new("timers", "snps,dw-apb-timer", 0x1f04_9000, 0x3c, [24, 25, 26]),
        Uart0,
        Uart1,
        new("watchdog", "snps,dw-wdt", 0x1f04_c000, 0x1000, [17]),
        new("ccu", "baikal,bt1-ccu", 0x1f04_d000, 0x1000, []),
        new("spi1", "snps,dw-apb-ssi", 0x1f04_e000, 0x1000, [40]),
        new("spi2", "snps,dw-apb-ssi", 0x1f04_f000, 0x1000, [41]),
        new("sata", "snps,dwc-ahci", 0x1f05_0000, 0x2000, [64]),
        new("pcie-dbi", "baikal,bt1-pcie", 0x1f05_2000, 0x1000, [80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93]),
        new("xgmac", "amd,bt1-xgmac", 0x1f05_4000, 0x4000, [74, 75, 76, 77, 78]),
        new("gmac0", "snps,dwmac", 0x1f05_e000, 0x2000, [72]),
        new("gmac1", "snps,dwmac", 0x1f06_0000, 0x2000, [73]),
        new("usb3", "snps,dwc3", 0x1f10_0000, 0x10_0000, [68]),
        new("l2-sync", "", 0x1fbf_0000, 0x1000, []),
        new("cm2-gcr", "mti,mips-cm", 0x1fbf_8000, 0x8000, []),
        new("boot-spi", "", 0x1fc0_0000, 0x40_0000, []),
        HighDram,
    ];

    /// <summary>Finds the block that contains physical address <paramref name="address"/>, or null.</summary>
    public static SocBlock? Find(ulong address)
    {
        foreach (var b in Blocks)
            if (address >= b.Base && address < b.End)
                return b;
        return null;
    }
}
