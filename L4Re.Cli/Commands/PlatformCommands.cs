using System.CommandLine;
using L4Re.Platform.BaikalT.Soc;

namespace L4Re.Cli.Commands;

/// <summary><c>l4re platform …</c>: facts about the modelled Baikal-T1 SoC.</summary>
internal static class PlatformCommands
{
    public static Command Create(TextWriter stdout)
    {
        var platform = new Command("platform", "The modelled Baikal-T1 SoC.");
        var map = new Command("memory-map", "Print the Baikal-T1 physical memory map.");
        map.SetAction(_ =>
        {
            foreach (var block in BaikalT1MemoryMap.Blocks)
                stdout.WriteLine(block);
            return 0;
        });
        platform.Subcommands.Add(map);
        return platform;
    }
}
