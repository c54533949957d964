using L4Re.Kernel.Abi;
using L4Re.Platform.BaikalT.Soc;
using L4Re.Regulatory.Rules;
using L4Re.Uvmm.Vz;
using Microsoft.Extensions.Logging;

// The prpl router demo (seed talk): OpenWrt in a VM on the L4Re microhypervisor on a Baikal-T1,
// with the Wi-Fi driver in a trusted component behind the FCC policy gate. This first version
// prints the pieces the SDK already models; it grows with the packages.
using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true));
var log = loggerFactory.CreateLogger("PrplRouter");

log.LogInformation("prpl router on a virtual Baikal-T1 (2 x MIPS P5600 + VZ)");
Console.WriteLine("Baikal-T1 memory map:");
foreach (var block in BaikalT1MemoryMap.Blocks)
    Console.WriteLine($"  {block}");

Console.WriteLine("Root-task boot capabilities:");
foreach (var cap in Enum.GetValues<BootCap>())
    Console.WriteLine($"  {cap,-10} {CapSel.FromIndex((ulong)cap)} selector 0x{CapSel.FromIndex((ulong)cap).Raw:x}");

Console.WriteLine("VZ guest exits the VMM handles: " + string.Join(", ", Enum.GetNames<GuestExitCode>()));
Console.WriteLine("DFS regions of the policy gate: " + string.Join(", ", Enum.GetNames<DfsRegion>()));
log.LogInformation("done");
return 0;
